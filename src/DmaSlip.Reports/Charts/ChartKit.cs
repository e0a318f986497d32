using ScottPlot;

namespace DmaSlip.Reports.Charts;

/// <summary>The house look of every chart: one font, quiet grid, labelled axes, white background.</summary>
internal static class ChartKit
{
    public const int Width = 960;
    public const int Height = 380;

    /// <summary>
    /// DejaVu Sans is what Skia measures glyphs with here (it is installed with the test fonts); browsers without it
    /// fall back through the stack in the report's CSS, and glyph positions stay as measured.
    /// </summary>
    public const string FontName = "DejaVu Sans";

    public static Plot New(string xLabel, string yLabel)
    {
        var plt = new Plot();
        plt.Font.Set(FontName);
        plt.FigureBackground.Color = Colors.White;
        plt.DataBackground.Color = Colors.White;
        plt.Grid.MajorLineColor = Palette.Of(Palette.Grid);
        plt.Axes.Color(Palette.Of(Palette.Muted));
        plt.XLabel(xLabel, size: 13);
        plt.YLabel(yLabel, size: 13);
        plt.Axes.Bottom.Label.ForeColor = Palette.Of(Palette.Ink);
        plt.Axes.Left.Label.ForeColor = Palette.Of(Palette.Ink);
        plt.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plt.Axes.Left.TickLabelStyle.FontSize = 12;
        plt.Axes.Top.FrameLineStyle.Width = 0;
        plt.Axes.Right.FrameLineStyle.Width = 0;
        return plt;
    }

    /// <summary>Category ticks at the given positions (bar charts).</summary>
    public static void CategoryTicks(Plot plt, double[] positions, string[] labels)
    {
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.HideGrid();
        plt.Grid.YAxisStyle.IsVisible = true;
        plt.Grid.YAxisStyle.MajorLineStyle.Color = Palette.Of(Palette.Grid);
        plt.Grid.YAxisStyle.MajorLineStyle.Width = 1;
    }

    public static void Legend(Plot plt, params (string Label, string Hex)[] items)
    {
        foreach (var (label, hex) in items)
        {
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = Palette.Of(hex), LineWidth = 0 });
        }
        ShowLegend(plt);
    }

    public static void ShowLegend(Plot plt)
    {
        plt.Legend.IsVisible = true;
        plt.Legend.Alignment = Alignment.UpperRight;
        plt.Legend.FontSize = 12;
        plt.Legend.FontName = FontName;
        plt.Legend.OutlineColor = Palette.Of(Palette.Grid);
        plt.Legend.BackgroundColor = Colors.White.WithAlpha(0.9);
    }

    public static void ZeroLine(Plot plt)
    {
        var line = plt.Add.HorizontalLine(0, 1, Palette.Of(Palette.Muted));
        line.LinePattern = LinePattern.Solid;
    }

    /// <summary>Renders the plot and embeds it; <paramref name="id"/> must be unique in the report.</summary>
    public static string Svg(Plot plt, string id, string title, int width = Width, int height = Height) =>
        SvgEmbed.Inline(plt.GetSvgXml(width, height), id, title);
}
