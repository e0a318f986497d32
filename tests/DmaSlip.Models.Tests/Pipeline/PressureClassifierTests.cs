using DmaSlip.Models.Features;
using DmaSlip.Models.Pipeline;

namespace DmaSlip.Models.Tests.Pipeline;

public sealed class PressureClassifierTests
{
    [Fact]
    public void The_calm_state_comes_from_the_low_tail_by_hand_arithmetic()
    {
        // 0..100 (101 values): q05 = 5, q25 = 25 (MathNet R-8 gives these on an even grid within 1e-9 here).
        var values = Enumerable.Range(0, 101).Select(i => (double)i).ToArray();
        var (center, scale) = PressureClassifier.CalmState(values);
        var q05 = MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(values, 0.05);
        var q25 = MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(values, 0.25);
        Assert.Equal((q25 - q05) / 0.97, scale, 9);
        Assert.Equal(q25 + (0.67449 * scale), center, 9);
    }

    [Fact]
    public void A_host_that_spends_most_of_the_day_in_a_storm_still_has_its_storm_parents_pressured()
    {
        // 40 % calm parents (flush rate ≈ 4 000/s) and 60 % in a storm (≈ 160 000/s): a median reference would sit
        // inside the storm and call storm parents calm.
        var rng = new Random(9);
        var col = OverlayFeatureSchema.IndexOf("flush_rate_mean");
        var parents = Enumerable.Range(0, 500).Select(i =>
        {
            var storm = i % 5 >= 2;
            var f = new float[OverlayFeatureSchema.Count];
            Array.Fill(f, float.NaN);
            f[col] = (float)((storm ? 160_000 : 4_000) * Math.Exp(0.05 * Tests.Synthetic.SyntheticDay.Normal(rng)));
            return (Storm: storm, Record: new ParentRecord($"p{i}", "h0", "b", "twap", "IBM", "mid", "tight", i, i + 1, 1, 100, 0.01, 3, 40, 0.5,
                0, 0, 0, 0, 0, 0, f));
        }).ToArray();
        var scores = PressureClassifier.Scores(parents.Select(p => p.Record).ToArray());
        var calm = PressureClassifier.Calm(scores);
        var pressured = PressureClassifier.Pressured(scores);
        for (var i = 0; i < parents.Length; i++)
        {
            Assert.Equal(parents[i].Storm, pressured[i]);
            Assert.False(parents[i].Storm && calm[i]);
        }
        // Most calm parents stay calm (a normal calm state: ≈ 95 % lie below z = 2).
        Assert.True(parents.Where((p, i) => !p.Storm && calm[i]).Count() > 0.85 * parents.Count(p => !p.Storm));
    }
}
