using System.Globalization;
using System.Text.RegularExpressions;

namespace DmaSlip.Reports.Charts;

/// <summary>
/// Turns a standalone SVG document (ScottPlot/Skia output) into an element that can sit inline in the report:
/// no XML declaration, ids made unique per chart (Skia numbers its clip paths from 1 in every document, so two
/// inline charts would otherwise clip each other), a viewBox so it scales to the page width, and an accessible title.
/// </summary>
internal static partial class SvgEmbed
{
    public static string Inline(string svgXml, string idPrefix, string title)
    {
        var svg = svgXml;
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("the chart renderer returned no <svg> element");
        }
        svg = svg[start..].Trim();
        svg = IdAttribute().Replace(svg, m => $"id=\"{idPrefix}-{m.Groups[1].Value}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{idPrefix}-{m.Groups[1].Value})");
        svg = HrefReference().Replace(svg, m => $"{m.Groups[1].Value}=\"#{idPrefix}-{m.Groups[2].Value}\"");
        // Skia writes per-glyph coordinate lists with a trailing separator ("1.5, 2.5, "); trim it to a valid list
        svg = TrailingListSeparator().Replace(svg, "$1\"");

        var rootEnd = svg.IndexOf('>', StringComparison.Ordinal);
        var root = svg[..rootEnd];
        var width = ReadLength(root, "width");
        var height = ReadLength(root, "height");
        var newRoot = RootSize().Replace(root, "");
        newRoot += string.Create(CultureInfo.InvariantCulture,
            $" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"{Fmt.Attr(title)}\"");
        return newRoot + ">" + $"<title>{Fmt.Text(title)}</title>" + svg[(rootEnd + 1)..];
    }

    private static double ReadLength(string root, string name)
    {
        var m = Regex.Match(root, $"\\s{name}=\"([0-9.]+)\"", RegexOptions.CultureInvariant);
        if (!m.Success)
        {
            throw new InvalidOperationException($"the chart's <svg> element has no {name}");
        }
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("\\bid=\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex IdAttribute();

    [GeneratedRegex("url\\(#([^)]+)\\)", RegexOptions.CultureInvariant)]
    private static partial Regex UrlReference();

    [GeneratedRegex("((?:xlink:)?href)=\"#([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex HrefReference();

    [GeneratedRegex("(\\s[xy]=\"[^\"]*?),\\s*\"", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingListSeparator();

    [GeneratedRegex("\\s(width|height)=\"[0-9.]+\"", RegexOptions.CultureInvariant)]
    private static partial Regex RootSize();
}
