using DmaSlip.Reports.Console;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DmaSlip.Reports.Tests;

public sealed class ConsoleTablesTests
{
    private static string Render(IRenderable r, int width = 200)
    {
        var sw = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(sw),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
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

    public static TheoryData<string> Tables => ["desk", "desk-by-pool", "is", "iul", "regimes", "drills", "markouts", "rows", "rows-too-wide"];

    [Theory]
    [MemberData(nameof(Tables))]
    public void At_80_columns_no_word_is_broken(string which)
    {
        var full = SampleReport.Full();
        Func<IRenderable> make = which switch
        {
            "desk" => () => ConsoleTables.DeskMetrics(full.DeskMetrics!),
            "desk-by-pool" => () => ConsoleTables.DeskMetrics(full.DeskMetrics!.Where(r => r.Dimension == "pool"), "Desk metrics by pool"),
            "is" => () => ConsoleTables.IsDecomposition(full.Is!),
            "iul" => () => ConsoleTables.Iul(full.Iul!),
            "regimes" => () => ConsoleTables.Regimes(full.Regimes!),
            "drills" => () => ConsoleTables.Drills(full.Drills!),
            "markouts" => () => ConsoleTables.Markouts(full.Markouts!),
            "rows" => () => ConsoleTables.Rows(["host", "pool", "reason", "dfi", "frames"],
                [["tr-a1", "pool-a", "storm_dfi_pso dfi=92.4>=80 pso=2.71>=2.5 after a confirmation of 200 ms", "92.4", "12,000"],
                 ["tr-b2", "pool-b", null, "11.0", "9,431"]], "2 rows"),
            _ => () => ConsoleTables.Rows(["a_rather_long_column_name", "another_long_column_name", "third_column_name_here", "fourth"],
                [["value_number_one_is_long", "value_number_two_is_longer", "value_number_three_longest", "x"]], "1 row"),
        };
        var wide = Render(make(), 400);
        var narrow = Render(make(), 80);
        Assert.All(narrow.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, $"line wider than 80: {line}"));
        var narrowWords = Words(narrow).ToHashSet(StringComparer.Ordinal);
        foreach (var word in Words(wide).Where(w => w.Length <= 60))
        {
            Assert.True(narrowWords.Contains(word), $"'{word}' is broken at 80 columns:\n{narrow}");
        }
    }

    /// <summary>Whitespace-separated words of rendered text, box-drawing borders removed.</summary>
    private static IEnumerable<string> Words(string text) =>
        text.Split([' ', '\n', '\r', '│', '─', '╭', '╮', '╰', '╯', '├', '┤', '┬', '┴', '┼', '|'], StringSplitOptions.RemoveEmptyEntries);
}
