using DmaSlip.Reports.Charts;

namespace DmaSlip.Reports.Tests;

public sealed class SvgEmbedTests
{
    private const string Skia = """
        <?xml version="1.0" encoding="utf-8" ?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="300">
          <clipPath id="cl_4"><rect x="1" y="2" width="3" height="4"/></clipPath>
          <g clip-path="url(#cl_4)"><use xlink:href="#cl_4"/></g>
          <text x="-3.5, 1.25, " y="9.8, ">ab</text>
        </svg>
        """;

    [Fact]
    public void Inlining_prefixes_ids_and_their_references_and_adds_a_viewbox()
    {
        var svg = SvgEmbed.Inline(Skia, "c7", "a <title>");

        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("id=\"c7-cl_4\"", svg, StringComparison.Ordinal);
        Assert.Contains("url(#c7-cl_4)", svg, StringComparison.Ordinal);
        Assert.Contains("xlink:href=\"#c7-cl_4\"", svg, StringComparison.Ordinal);
        Assert.Contains("viewBox=\"0 0 400 300\"", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("width=\"400\"", svg, StringComparison.Ordinal);
        Assert.Contains("<title>a &lt;title&gt;</title>", svg, StringComparison.Ordinal);
        Assert.Contains("x=\"-3.5, 1.25\"", svg, StringComparison.Ordinal);
        Assert.Contains("y=\"9.8\"", svg, StringComparison.Ordinal);
        System.Xml.Linq.XElement.Parse(svg);
    }

    [Fact]
    public void A_renderer_output_without_svg_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => SvgEmbed.Inline("<png/>", "c1", "t"));
    }
}
