using System.Xml.Linq;
using DmaSlip.Reports.Html;
using DmaSlip.Testing;

namespace DmaSlip.Reports.Tests;

/// <summary>Golden tests of the report's structure on a fixed small dataset (not of volatile SVG bytes).</summary>
public sealed class ReportStructureTests
{
    [Theory]
    [InlineData("full")]
    [InlineData("early")]
    public void The_report_structure_matches_its_golden_file(string which)
    {
        var data = which == "full" ? SampleReport.Full() : SampleReport.Early();
        var outline = ReportOutline.Of(HtmlReport.Render(data));
        var golden = Path.Combine(TestPaths.RepoRoot, "tests", "DmaSlip.Reports.Tests", "Golden", $"report-{which}.outline.txt");
        if (Environment.GetEnvironmentVariable("DMASLIP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, outline);
        }
        Assert.True(File.Exists(golden), $"missing golden file {golden}; run with DMASLIP_UPDATE_GOLDEN=1 to create it and review the diff");
        Assert.Equal(File.ReadAllText(golden).Replace("\r\n", "\n", StringComparison.Ordinal), outline);
    }

    [Fact]
    public void Every_section_is_present_in_page_order_even_without_data()
    {
        var empty = new Model.ReportData { Meta = new Model.ReportMeta("empty", 0, null, null, "none") };
        var doc = ReportOutline.Parse(HtmlReport.Render(empty));
        var ids = doc.Descendants().Where(e => e.Name.LocalName == "section").Select(e => (string)e.Attribute("id")!).ToArray();
        Assert.Equal(HtmlReport.Sections.Select(s => s.Id), ids);
        var withNotice = doc.Descendants().Where(e => e.Name.LocalName == "section")
            .Count(s => s.Descendants().Any(e => (string?)e.Attribute("class") == "no-data"));
        Assert.Equal(HtmlReport.Sections.Count, withNotice);
    }

    [Fact]
    public void The_page_references_nothing_outside_itself()
    {
        var doc = ReportOutline.Parse(HtmlReport.Render(SampleReport.Full()));
        var refs = doc.Descendants().SelectMany(e => e.Attributes())
            .Where(a => a.Name.LocalName is "src" or "href" or "action" or "srcset" or "data")
            .Select(a => a.Value).ToList();
        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.StartsWith("#", r, StringComparison.Ordinal));
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "link" or "iframe" or "img" or "object");
        var css = doc.Descendants().Single(e => e.Name.LocalName == "style").Value;
        Assert.DoesNotContain("url(", css, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", css, StringComparison.Ordinal);
        Assert.Contains("@media print", css, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_the_data_is_escaped()
    {
        var data = SampleReport.Full() with
        {
            Iul = [new Model.IulByPool("<script>alert(1)</script>", 1, 1, 2)],
        };
        var html = HtmlReport.Render(data);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        ReportOutline.Parse(html);
    }

    [Fact]
    public void Chart_ids_inside_the_inline_svgs_are_unique_across_the_page()
    {
        var doc = ReportOutline.Parse(HtmlReport.Render(SampleReport.Full()));
        var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var svgIds = doc.Descendants().Where(e => e.Name.LocalName == "clipPath").Select(e => (string)e.Attribute("id")!).ToList();
        Assert.NotEmpty(svgIds);
    }

    [Fact]
    public void The_waterfall_total_and_the_sum_of_its_terms_agree_in_the_table()
    {
        var doc = ReportOutline.Parse(HtmlReport.Render(SampleReport.Full()));
        var rows = doc.Descendants().Where(e => e.Name.LocalName == "section" && (string?)e.Attribute("id") == "overview")
            .Descendants().First(e => e.Name.LocalName == "table").Descendants().Where(e => e.Name.LocalName == "tr").Skip(1)
            .Select(tr => tr.Elements().Select(td => td.Value).ToArray()).ToDictionary(c => c[0], c => c[2]);
        Assert.Equal("+2.80", rows["C_iommu"]);
        Assert.Equal("+11.50", rows["IS"]);
        var sum = new[] { "C_delay", "C_impact", "C_miss", "C_iommu" }.Sum(k => double.Parse(rows[k], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(11.5, sum, 6);
    }

    [Fact]
    public void Without_a_model_the_iommu_terms_are_missing_not_zero()
    {
        var html = HtmlReport.Render(SampleReport.Early());
        Assert.Contains("C_iommu terms (DMA jitter, service burst, queue decay) are not estimated yet", html, StringComparison.Ordinal);
        var doc = ReportOutline.Parse(html);
        var iommuRow = doc.Descendants().Where(e => e.Name.LocalName == "tr")
            .Select(tr => tr.Elements().Select(td => td.Value).ToArray()).First(c => c.Length > 0 && c[0] == "C_iommu");
        Assert.Equal(Fmt.Missing, iommuRow[2]);
    }

    [Fact]
    public void A_host_without_a_flush_source_shows_its_DFI_as_missing_with_the_reason_not_0()
    {
        var full = SampleReport.Full();
        var live = full.Regimes![1] with
        {
            Host = "live-vm",
            Signals = [.. full.Regimes[1].Signals.Select(p => p with { Dfi = null })],
            DfiNullReason = "no flush source",
        };
        var doc = ReportOutline.Parse(HtmlReport.Render(full with { Regimes = [full.Regimes[0], live, full.Regimes[2]] }));
        var row = doc.Descendants().Where(e => e.Name.LocalName == "tr")
            .Select(tr => tr.Elements().Select(td => td.Value).ToArray()).First(c => c.Length > 0 && c[0] == "live-vm");
        Assert.Equal($"{Fmt.Missing} (no flush source)", row[7]);
    }
}
