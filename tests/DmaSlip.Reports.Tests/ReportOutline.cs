using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace DmaSlip.Reports.Tests;

/// <summary>
/// The report's structure as text, for golden tests: sections, headings, KPI labels, charts (ids only: SVG bytes are
/// volatile), tables (columns and row counts), "not available yet" notices. Reading the page as XML also proves it is
/// well-formed.
/// </summary>
internal static class ReportOutline
{
    private static readonly XNamespace X = "http://www.w3.org/1999/xhtml";

    public static XDocument Parse(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    public static string Of(string html)
    {
        var doc = Parse(html);
        var sb = new StringBuilder();
        sb.Append("title: ").AppendLine(doc.Descendants(X + "title").First().Value);
        sb.Append("nav: ").AppendLine(string.Join(" | ", doc.Descendants(X + "nav").Single().Descendants(X + "a").Select(a => (string)a.Attribute("href")!)));
        foreach (var section in doc.Descendants(X + "section"))
        {
            sb.Append("section #").AppendLine((string)section.Attribute("id")!);
            Walk(section, sb, "  ");
        }
        return sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static void Walk(XElement e, StringBuilder sb, string indent)
    {
        foreach (var child in e.Elements())
        {
            var name = child.Name.LocalName;
            var cls = ((string?)child.Attribute("class") ?? "").Split(' ');
            if (name is "h2" or "h3")
            {
                sb.Append(indent).Append(name).Append(": ").AppendLine(Clean(child.Value));
            }
            else if (cls.Contains("kpi"))
            {
                sb.Append(indent).Append("kpi: ").AppendLine(Clean(child.Elements().First().Value));
            }
            else if (cls.Contains("chart"))
            {
                sb.Append(indent).Append("chart #").Append((string?)child.Attribute("id")).Append(" svg=").AppendLine(child.Elements().Any(s => s.Name.LocalName == "svg") ? "yes" : "no");
            }
            else if (name == "table")
            {
                var headers = child.Descendants(X + "th").Select(th => Clean(th.Value));
                var rows = child.Element(X + "tbody")?.Elements(X + "tr").ToList() ?? [];
                sb.Append(indent).Append("table [").Append(string.Join(" | ", headers)).Append("] rows=").Append(rows.Count);
                if (rows.Count > 0)
                {
                    sb.Append(" first=").Append(Clean(rows[0].Elements().First().Value));
                }
                sb.AppendLine();
            }
            else if (cls.Contains("no-data"))
            {
                sb.Append(indent).Append("no-data: ").AppendLine(Clean(child.Value));
            }
            else if (cls.Contains("drill"))
            {
                sb.Append(indent).Append("drill #").Append((string?)child.Attribute("id")).Append(cls.Contains("failed") ? " failed" : " passed").AppendLine();
                Walk(child, sb, indent + "  ");
            }
            else if (name == "dl")
            {
                sb.Append(indent).Append("evidence: ").AppendLine(string.Join(", ", child.Elements(X + "dt").Select(d => d.Value)));
            }
            else if (name != "svg")
            {
                Walk(child, sb, indent);
            }
        }
    }

    private static string Clean(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
