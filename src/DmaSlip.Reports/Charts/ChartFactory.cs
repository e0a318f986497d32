using DmaSlip.Core.Attribution;
using DmaSlip.Reports.Model;
using ScottPlot;

namespace DmaSlip.Reports.Charts;

/// <summary>Draws the report's charts as inline SVG. Each method returns the <c>&lt;svg&gt;</c> element.</summary>
internal static partial class ChartFactory
{
    /// <summary>
    /// IS waterfall: each term a floating bar from the running sum, the total from zero. IOMMU terms are drawn only
    /// when a model has estimated them.
    /// </summary>
    public static string Waterfall(IsDecomposition d, string id)
    {
        var terms = new List<(string Label, double Value, string Color)>
        {
            ("Delay", d.CDelayBps, Palette.Delay),
            ("Impact", d.CImpactBps, Palette.Impact),
            ("Miss", d.CMissBps, Palette.Miss),
        };
        if (d.CIommuBps is not null)
        {
            terms.Add(("DMA jitter", d.CDmaJitterBps!.Value, Palette.DmaJitter));
            terms.Add(("Service burst", d.CServiceBurstBps!.Value, Palette.ServiceBurst));
            terms.Add(("Queue decay", d.CQueueDecayBps!.Value, Palette.QueueDecay));
        }
        var plt = ChartKit.New("", "bps of arrival notional (Q·P_d)");
        var bars = new List<Bar>();
        var running = 0.0;
        for (var i = 0; i < terms.Count; i++)
        {
            var (_, v, color) = terms[i];
            bars.Add(new Bar
            {
                Position = i,
                ValueBase = running,
                Value = running + v,
                FillColor = Palette.Of(color),
                LineWidth = 0,
                Label = Fmt.Bps(v),
            });
            running += v;
        }
        bars.Add(new Bar
        {
            Position = terms.Count,
            ValueBase = 0,
            Value = d.IsBps,
            FillColor = Palette.Of(Palette.Total),
            LineWidth = 0,
            Label = Fmt.Bps(d.IsBps),
        });
        var plot = plt.Add.Bars(bars);
        plot.ValueLabelStyle.FontSize = 12;
        plot.ValueLabelStyle.ForeColor = Palette.Of(Palette.Ink);
        ChartKit.ZeroLine(plt);
        var labels = terms.Select(t => t.Label).Append("Total IS").ToArray();
        ChartKit.CategoryTicks(plt, [.. Enumerable.Range(0, labels.Length).Select(i => (double)i)], labels);
        var legend = new List<(string, string)> { ("classical terms (delay, impact, miss)", Palette.Impact) };
        if (d.CIommuBps is not null)
        {
            legend.Add(("C_iommu terms (model overlay)", Palette.DmaJitter));
        }
        legend.Add(("implementation shortfall", Palette.Total));
        ChartKit.Legend(plt, [.. legend]);
        plt.Legend.Orientation = Orientation.Horizontal;
        plt.ShowLegend(Edge.Bottom);
        // headroom for the value labels above the tallest bar
        plt.Axes.Margins(0.05, 0.22);
        return ChartKit.Svg(plt, id, "Implementation shortfall decomposition, bps of arrival notional");
    }

    /// <summary>IUL mean and q95 by pool, side by side.</summary>
    public static string IulByPool(IReadOnlyList<IulByPool> rows, string id)
    {
        var plt = ChartKit.New("host pool", "IOMMU uplift loss (bps)");
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            bars.Add(Bar(i * 3, rows[i].MeanBps, Palette.Mean));
            bars.Add(Bar(i * 3 + 1, rows[i].Q95Bps, Palette.Q95));
        }
        var plot = plt.Add.Bars(bars);
        plot.ValueLabelStyle.FontSize = 11;
        ChartKit.ZeroLine(plt);
        ChartKit.CategoryTicks(plt, [.. rows.Select((_, i) => i * 3 + 0.5)], [.. rows.Select(r => $"{r.Pool} (n={r.Parents})")]);
        ChartKit.Legend(plt, ("IUL mean", Palette.Mean), ("IUL q95", Palette.Q95));
        plt.Axes.Margins(0.05, 0.15);
        return ChartKit.Svg(plt, id, "IOMMU uplift loss by pool, mean and q95, bps", ChartKit.Width, 300);
    }

    /// <summary>Passive fill ratio by flush-pressure bucket, calm to storm.</summary>
    public static string FillRatio(IReadOnlyList<FillRatioRow> rows, string id)
    {
        var sorted = BucketOrder.Sort(rows, r => r.PressureBucket);
        var plt = ChartKit.New("flush-pressure bucket", "passive fill ratio (%)");
        var bars = sorted.Select((r, i) => new Bar
        {
            Position = i,
            Value = r.PassiveFillRatio * 100,
            FillColor = Palette.Of(Palette.Pressure(i, sorted.Count)),
            LineWidth = 0,
            Label = Fmt.Pct(r.PassiveFillRatio),
        }).ToList();
        var plot = plt.Add.Bars(bars);
        plot.ValueLabelStyle.FontSize = 12;
        ChartKit.CategoryTicks(plt, [.. sorted.Select((_, i) => (double)i)], [.. sorted.Select(r => $"{r.PressureBucket.Name()} (n={r.Parents})")]);
        ChartKit.Legend(plt, [.. sorted.Select((r, i) => (r.PressureBucket.Name(), Palette.Pressure(i, sorted.Count)))]);
        plt.Axes.SetLimitsY(0, Math.Max(100, sorted.Count == 0 ? 100 : sorted.Max(r => r.PassiveFillRatio * 100)) * 1.12);
        return ChartKit.Svg(plt, id, "Passive fill ratio by flush-pressure bucket, percent");
    }

    private static Bar Bar(double position, double value, string color) => new()
    {
        Position = position,
        Value = value,
        FillColor = Palette.Of(color),
        LineWidth = 0,
        Label = Fmt.Num(value, "0.0"),
    };
}
