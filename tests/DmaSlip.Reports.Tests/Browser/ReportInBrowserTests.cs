using DmaSlip.Reports.Html;
using DmaSlip.Testing;

namespace DmaSlip.Reports.Tests.Browser;

/// <summary>The acceptance test: the report opened in headless Chromium, as a reader would see it.</summary>
public sealed class ReportInBrowserTests
{
    private static readonly string[] SectionIds = [.. HtmlReport.Sections.Select(s => s.Id)];

    [Fact]
    public async Task The_full_report_opens_cleanly_with_every_section_and_chart_drawn()
    {
        using var dir = new TempDir();
        var path = dir.File("report.html");
        HtmlReport.Write(SampleReport.Full(), path);

        var page = await PageInspection.OpenAsync(path, SectionIds);
        Artifacts.Save("report-full-viewport.png", page.Screenshot);
        Artifacts.Save("report-full-page.png", page.FullPageScreenshot);

        Assert.Empty(page.ConsoleErrors);
        Assert.Empty(page.Requests);
        foreach (var s in page.Sections)
        {
            Assert.True(s.Present, $"section #{s.Id} missing");
            Assert.False(string.IsNullOrWhiteSpace(s.Heading), $"section #{s.Id} has no heading");
            Assert.True(s.Height > 80, $"section #{s.Id} is collapsed ({s.Height}px)");
        }
        Assert.Empty(page.NoDataSections);
        // waterfall, IUL, 3 regime timelines, markouts, fill ratio, 5 desk-metric dimensions
        Assert.Equal(12, page.Charts.Count);
        foreach (var c in page.Charts)
        {
            Assert.True(c.HasSvg, $"chart {c.Id} has no svg");
            Assert.True(c.Shapes >= 5, $"chart {c.Id} draws only {c.Shapes} shapes");
            Assert.True(c.Texts >= 6, $"chart {c.Id} has {c.Texts} text labels: axes, ticks and legend are missing");
            Assert.True(c.Width > 600 && c.Height > 150, $"chart {c.Id} is {c.Width}×{c.Height} px on a laptop screen");
            Assert.True(c.BboxWidth > 300 && c.BboxHeight > 100, $"chart {c.Id} drawing is {c.BboxWidth}×{c.BboxHeight}");
        }
        AssertNotBlank(page.Screenshot, 1366, 900);
        AssertNotBlank(page.FullPageScreenshot, 1366, 2000);
    }

    [Fact]
    public async Task An_early_report_keeps_every_section_and_says_which_data_does_not_exist_yet()
    {
        using var dir = new TempDir();
        var path = dir.File("early.html");
        HtmlReport.Write(SampleReport.Early(), path);

        var page = await PageInspection.OpenAsync(path, SectionIds);
        Artifacts.Save("report-early-page.png", page.FullPageScreenshot);

        Assert.Empty(page.ConsoleErrors);
        Assert.Empty(page.Requests);
        Assert.All(page.Sections, s => Assert.True(s.Present, $"section #{s.Id} missing"));
        Assert.Equal(["overview", "regimes", "markouts", "fill-ratio", "desk-metrics", "drills", "advice"], page.NoDataSections.Distinct());
        var chart = Assert.Single(page.Charts);
        Assert.True(chart.Shapes >= 5 && chart.Texts >= 6);
        AssertNotBlank(page.FullPageScreenshot, 1366, 900);
    }

    [Fact]
    public async Task The_browser_check_catches_network_requests_and_console_errors()
    {
        // the harness must be able to fail: a page that fetches and logs an error is caught
        using var dir = new TempDir();
        var path = dir.File("bad.html");
        await File.WriteAllTextAsync(path, """
            <!DOCTYPE html><html><head><title>bad</title><link rel="stylesheet" href="https://cdn.example.com/x.css" /></head>
            <body><section id="overview"><h2>x</h2><div class="chart"></div></section>
            <img src="http://127.0.0.1:9/pixel.png" /><script>console.error("boom");</script></body></html>
            """);

        var page = await PageInspection.OpenAsync(path, ["overview", "regimes"]);

        Assert.Contains(page.Requests, r => r.StartsWith("https://cdn.example.com/", StringComparison.Ordinal));
        Assert.Contains(page.Requests, r => r.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
        Assert.Contains(page.ConsoleErrors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.False(page.Sections.Single(s => s.Id == "regimes").Present);
        var empty = Assert.Single(page.Charts);
        Assert.False(empty.HasSvg);
    }

    [Fact]
    public void A_blank_screenshot_is_recognised_as_blank()
    {
        using var bitmap = new SkiaSharp.SKBitmap(200, 100);
        bitmap.Erase(SkiaSharp.SKColors.White);
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        var (std, share, _, _) = PageInspection.PixelStats(data.ToArray());
        Assert.True(std < 1 && share < 0.001);
    }

    private static void AssertNotBlank(byte[] png, int minWidth, int minHeight)
    {
        var (std, share, width, height) = PageInspection.PixelStats(png);
        Assert.True(width >= minWidth && height >= minHeight, $"screenshot is {width}×{height}");
        Assert.True(std > 12, $"screenshot looks blank: luminance std-dev {std:0.0}");
        Assert.True(share > 0.05, $"screenshot looks blank: {share:P1} of pixels differ from the background");
    }
}
