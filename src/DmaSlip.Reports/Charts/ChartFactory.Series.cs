using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Reports.Model;
using ScottPlot;

namespace DmaSlip.Reports.Charts;

internal static partial class ChartFactory
{
    private static readonly (string Label, double LogMs)[] Horizons =
    [
        ("10 ms", 1), ("100 ms", 2), ("1 s", 3), ("5 s", Math.Log10(5000)),
    ];

    /// <summary>Markout ladder: mean markout (bps) at 10 ms … 5 s, one line per flush-pressure bucket, on a log-time axis.</summary>
    public static string MarkoutLadder(IReadOnlyList<MarkoutRow> rows, string id)
    {
        var sorted = BucketOrder.Sort(rows, r => r.PressureBucket);
        var plt = ChartKit.New("markout horizon after the fill (log scale)", "mean markout (bps, + = favourable)");
        for (var i = 0; i < sorted.Count; i++)
        {
            var r = sorted[i];
            double?[] values = [r.Bps10ms, r.Bps100ms, r.Bps1s, r.Bps5s];
            var xs = new List<double>();
            var ys = new List<double>();
            for (var h = 0; h < values.Length; h++)
            {
                if (values[h] is { } v && double.IsFinite(v))
                {
                    xs.Add(Horizons[h].LogMs);
                    ys.Add(v);
                }
            }
            if (xs.Count == 0)
            {
                continue;
            }
            var line = plt.Add.Scatter(xs.ToArray(), ys.ToArray(), Palette.Of(Palette.Pressure(i, sorted.Count)));
            line.LineWidth = 2.5f;
            line.MarkerSize = 8;
            line.LegendText = $"{r.PressureBucket.Name()} (n={r.Parents})";
        }
        ChartKit.ZeroLine(plt);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Horizons.Select(h => h.LogMs)], [.. Horizons.Select(h => h.Label)]);
        plt.Axes.SetLimitsX(0.8, 3.9);
        ChartKit.ShowLegend(plt);
        plt.Legend.Alignment = Alignment.LowerLeft;
        return ChartKit.Svg(plt, id, "Markout ladder by flush-pressure bucket, bps");
    }

    /// <summary>
    /// One host's regimes as shaded spans, with DFI (left axis, 0–100) and PSO (right axis, coefficient of variation)
    /// drawn over them against UTC time.
    /// </summary>
    public static string RegimeTimeline(HostRegimeTimeline t, string id)
    {
        var plt = ChartKit.New("time (UTC)", "DFI (0–100)");
        // the date axis replaces the bottom axis: set it up before any limits, or they are lost
        var dates = plt.Axes.DateTimeTicksBottom();
        var spanNs = t.ToNs - t.FromNs;
        var format = spanNs <= 2 * Time.NanosPerMinute ? "HH:mm:ss.fff" : spanNs <= Time.NanosPerDay ? "HH:mm:ss" : "yyyy-MM-dd HH:mm";
        if (dates.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic auto)
        {
            auto.LabelFormatter = d => d.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
        }
        dates.TickLabelStyle.FontSize = 12;
        dates.TickLabelStyle.ForeColor = Palette.Of(Palette.Muted);
        dates.LabelText = "time (UTC)";
        dates.LabelFontSize = 13;
        dates.LabelFontColor = Palette.Of(Palette.Ink);
        var seen = new HashSet<Regime>();
        foreach (var s in t.Spans)
        {
            var span = plt.Add.HorizontalSpan(OaDate(s.StartNs), OaDate(Math.Max(s.EndNs, s.StartNs + 1)), Palette.Of(Palette.RegimeFill(s.Regime)));
            span.LineStyle.Width = 0;
            seen.Add(s.Regime);
        }
        var dfi = Series(t.Signals, p => p.Dfi);
        var pso = Series(t.Signals, p => p.Pso);
        if (dfi.Xs.Length > 0)
        {
            var line = plt.Add.ScatterLine(dfi.Xs, dfi.Ys, Palette.Of(Palette.Dfi));
            line.LineWidth = 2;
        }
        if (pso.Xs.Length > 0)
        {
            var line = plt.Add.ScatterLine(pso.Xs, pso.Ys, Palette.Of(Palette.Pso));
            line.LineWidth = 1.5f;
            line.LinePattern = LinePattern.Dashed;
            line.Axes.YAxis = plt.Axes.Right;
            plt.Axes.Right.Label.Text = "PSO (coefficient of variation)";
            plt.Axes.Right.Label.FontSize = 13;
            plt.Axes.Right.Label.ForeColor = Palette.Of(Palette.Ink);
            plt.Axes.Right.TickLabelStyle.FontSize = 12;
            plt.Axes.Right.TickLabelStyle.ForeColor = Palette.Of(Palette.Muted);
            plt.Axes.Right.MajorTickStyle.Color = Palette.Of(Palette.Muted);
            plt.Axes.SetLimitsY(0, Math.Max(0.1, pso.Ys.Max() * 1.15), plt.Axes.Right);
        }
        plt.Axes.SetLimitsY(0, 105, plt.Axes.Left);
        plt.Axes.SetLimitsX(OaDate(t.FromNs), OaDate(Math.Max(t.ToNs, t.FromNs + 1)));
        var legend = new List<(string, string)>();
        foreach (var r in new[] { Regime.MapStable, Regime.PressureWatch, Regime.FlushStorm, Regime.SafeDmaContain })
        {
            if (seen.Contains(r))
            {
                legend.Add((r.Name(), Palette.RegimeInk(r)));
            }
        }
        foreach (var (label, hex) in legend)
        {
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = Palette.Of(Palette.RegimeFill(EnumFromName(label))), OutlineColor = Palette.Of(hex), OutlineWidth = 1 });
        }
        if (dfi.Xs.Length > 0)
        {
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = "DFI (left)", LineColor = Palette.Of(Palette.Dfi), LineWidth = 2 });
        }
        if (pso.Xs.Length > 0)
        {
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = "PSO (right)", LineColor = Palette.Of(Palette.Pso), LineWidth = 2, LinePattern = LinePattern.Dashed });
        }
        ChartKit.ShowLegend(plt);
        plt.Legend.Orientation = Orientation.Horizontal;
        plt.ShowLegend(Edge.Bottom);
        return ChartKit.Svg(plt, id, $"Regime timeline of {t.Host} with DFI and PSO", ChartKit.Width, 330);
    }

    /// <summary>Desk metrics in bps (QDL, IUL mean, IUL q95) for the groups of one dimension.</summary>
    public static string DeskMetricsBps(string dimension, IReadOnlyList<DeskMetricRow> rows, string id)
    {
        var plt = ChartKit.New(dimension, "loss (bps)");
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            Add(bars, i * 4, rows[i].QdlBps, Palette.Qdl);
            Add(bars, i * 4 + 1, rows[i].IulMeanBps, Palette.Mean);
            Add(bars, i * 4 + 2, rows[i].IulQ95Bps, Palette.Q95);
        }
        if (bars.Count > 0)
        {
            var plot = plt.Add.Bars(bars);
            plot.ValueLabelStyle.FontSize = 11;
        }
        ChartKit.ZeroLine(plt);
        ChartKit.CategoryTicks(plt, [.. rows.Select((_, i) => i * 4 + 1.0)], [.. rows.Select(r => r.Group)]);
        ChartKit.Legend(plt, ("QDL", Palette.Qdl), ("IUL mean", Palette.Mean), ("IUL q95", Palette.Q95));
        plt.Axes.Margins(0.04, 0.15);
        return ChartKit.Svg(plt, id, $"Queue decay loss and IOMMU uplift loss by {dimension}, bps", ChartKit.Width, 320);

        static void Add(List<Bar> bars, double position, double? value, string color)
        {
            if (value is { } v && double.IsFinite(v))
            {
                bars.Add(Bar(position, v, color));
            }
        }
    }

    private static Regime EnumFromName(string name) => EnumText.TryParseRegime(name, out var r) ? r : Regime.MapStable;

    private static (double[] Xs, double[] Ys) Series(IReadOnlyList<SignalPoint> points, Func<SignalPoint, double?> value)
    {
        var xs = new List<double>(points.Count);
        var ys = new List<double>(points.Count);
        foreach (var p in points)
        {
            if (value(p) is { } v && double.IsFinite(v))
            {
                xs.Add(OaDate(p.TsNs));
                ys.Add(v);
            }
        }
        return (xs.ToArray(), ys.ToArray());
    }

    /// <summary>ScottPlot's date axis counts OLE automation days.</summary>
    private static double OaDate(long ns) => DateTime.UnixEpoch.AddTicks(ns / 100).ToOADate();
}
