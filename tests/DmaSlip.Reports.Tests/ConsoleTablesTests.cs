using DmaSlip.Reports.Console;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DmaSlip.Reports.Tests;

public sealed class ConsoleTablesTests
{
    private static string Render(IRenderable r)
    {
        var sw = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(sw),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        console.Write(r);
        return sw.ToString();
    }

    [Fact]
    public void Desk_metrics_table_shows_every_metric_of_every_group()
    {
        var text = Render(ConsoleTables.DeskMetrics(SampleReport.Full().DeskMetrics!));
        var poolA = text.Split('\n').Single(l => l.Contains("pool-a", StringComparison.Ordinal));
        foreach (var cell in new[] { "pool", "71.5", "1.90", "0.420", "+0.90", "+1.30", "+4.80", "12,000", "800" })
        {
            Assert.Contains(cell, poolA, StringComparison.Ordinal);
        }
        Assert.Contains("IUL q95", text, StringComparison.Ordinal);
        Assert.Contains("dimension", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_dimension_desk_table_drops_the_dimension_column()
    {
        var rows = SampleReport.Full().DeskMetrics!.Where(r => r.Dimension == "pool");
        var text = Render(ConsoleTables.DeskMetrics(rows, "Desk metrics by pool"));
        Assert.DoesNotContain("dimension", text, StringComparison.Ordinal);
        Assert.Contains("71.5", text.Split('\n').Single(l => l.Contains("pool-a", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Is_table_marks_missing_iommu_terms_as_not_estimated()
    {
        var text = Render(ConsoleTables.IsDecomposition(SampleReport.Early().Is!));
        Assert.Contains("C_iommu not estimated yet", text, StringComparison.Ordinal);
        var row = text.Split('\n').Single(l => l.Contains("C_dma-jitter", StringComparison.Ordinal));
        Assert.Contains(Fmt.Missing, row, StringComparison.Ordinal);
        Assert.Contains("+11.50", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Drill_and_regime_tables_name_failures_and_storm_time()
    {
        var data = SampleReport.Full();
        var drills = Render(ConsoleTables.Drills(data.Drills!));
        Assert.Contains("FAIL", drills, StringComparison.Ordinal);
        Assert.Contains("ci95_excludes_zero = false (needs true)", drills, StringComparison.Ordinal);
        var regimes = Render(ConsoleTables.Regimes(data.Regimes!));
        var a1 = regimes.Split('\n').Single(l => l.Contains("tr-a1", StringComparison.Ordinal));
        Assert.Contains("50.0 %", a1, StringComparison.Ordinal);
        Assert.Contains("20.0 %", a1, StringComparison.Ordinal);
    }
}
