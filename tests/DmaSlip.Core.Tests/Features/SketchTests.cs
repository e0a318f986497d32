using CsCheck;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Tests.Features;

public sealed class SketchTests
{
    private static double Exact(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return ExactQuantile.OfSorted(sorted, q);
    }

    [Fact]
    public void Log_sketch_quantiles_are_within_the_relative_error_bound_of_exact_type7_quantiles()
    {
        Gen.Select(Gen.Double[1, 1e9].Array[1, 2000], Gen.Double[0, 1])
            .Sample((values, q) =>
            {
                var sketch = new LogSketch(0.01);
                foreach (var v in values)
                {
                    sketch.Add(v);
                }
                var exact = Exact(values, q);
                return Math.Abs(sketch.Quantile(q) - exact) <= 0.01 * exact + 1e-9;
            }, iter: 300);
    }

    [Fact]
    public void Log_sketch_weighted_adds_equal_repeated_adds()
    {
        Gen.Select(Gen.Double[1, 1e7], Gen.Int[1, 50]).Array[1, 200].Sample(pairs =>
        {
            var weighted = new LogSketch();
            var repeated = new LogSketch();
            foreach (var (v, w) in pairs)
            {
                weighted.Add(v, w);
                for (var i = 0; i < w; i++)
                {
                    repeated.Add(v);
                }
            }
            return weighted.Count == repeated.Count
                && weighted.Quantile(0.5) == repeated.Quantile(0.5)
                && weighted.Quantile(0.99) == repeated.Quantile(0.99);
        }, iter: 100);
    }

    [Fact]
    public void Merging_two_sketches_equals_one_sketch_of_all_values()
    {
        Gen.Select(Gen.Double[0, 1e8].Array[0, 500], Gen.Double[0, 1e8].Array[0, 500]).Sample((a, b) =>
        {
            var left = new LogSketch();
            var right = new LogSketch();
            var all = new LogSketch();
            foreach (var v in a)
            {
                left.Add(v);
                all.Add(v);
            }
            foreach (var v in b)
            {
                right.Add(v);
                all.Add(v);
            }
            left.Merge(right);
            if (all.Count == 0)
            {
                return left.Count == 0;
            }
            return left.Count == all.Count && left.Quantile(0.95) == all.Quantile(0.95) && left.Quantile(0.05) == all.Quantile(0.05);
        }, iter: 100);
    }

    [Fact]
    public void Log_sketch_reports_values_below_one_as_zero_and_is_empty_after_clear()
    {
        var s = new LogSketch();
        s.Add(0.25, 3);
        s.Add(100);
        Assert.Equal(0, s.Quantile(0.5));
        Assert.InRange(s.Quantile(1), 99, 101);
        s.Clear();
        Assert.Equal(0, s.Count);
        Assert.True(double.IsNaN(s.Quantile(0.5)));
    }

    [Fact]
    public void Unit_histogram_quantiles_are_within_half_a_bin_of_exact()
    {
        Gen.Select(Gen.Double[0, 1].Array[1, 1000], Gen.Double[0, 1]).Sample((values, q) =>
        {
            var h = new UnitHistogram(1000);
            foreach (var v in values)
            {
                h.Add(v);
            }
            return Math.Abs(h.Quantile(q) - Exact(values, q)) <= 0.0005 + 1e-12;
        }, iter: 300);
    }

    [Fact]
    public void Exact_quantile_interpolates_like_duckdb_quantile_cont()
    {
        // quantile_cont([1, 2, 3, 4], 0.95) = 3 + 0.85 * (4 - 3) = 3.85 (h = 0.95 * 3 = 2.85).
        Assert.Equal(3.85, ExactQuantile.OfSorted([1.0, 2, 3, 4], 0.95), 12);
        Assert.Equal(2.5, ExactQuantile.OfSorted([1.0, 2, 3, 4], 0.5), 12);
        Assert.True(double.IsNaN(ExactQuantile.OfSorted([], 0.5)));
    }
}
