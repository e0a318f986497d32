using System.Text;

namespace DmaSlip.Reports.Html;

/// <summary>
/// A tiny builder for well-formed (XHTML-compatible) markup: every element closed, every text and attribute
/// escaped. Well-formedness lets the structure tests read the report as XML.
/// </summary>
internal sealed class HtmlWriter
{
    private readonly StringBuilder _sb = new(64 * 1024);
    private readonly Stack<string> _open = new();

    public HtmlWriter Raw(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    public HtmlWriter Open(string tag, string? cls = null, params (string Name, string Value)[] attrs)
    {
        _sb.Append('<').Append(tag);
        if (cls is not null)
        {
            _sb.Append(" class=\"").Append(Fmt.Attr(cls)).Append('"');
        }
        foreach (var (name, value) in attrs)
        {
            _sb.Append(' ').Append(name).Append("=\"").Append(Fmt.Attr(value)).Append('"');
        }
        _sb.Append('>');
        _open.Push(tag);
        return this;
    }

    public HtmlWriter Close(string tag)
    {
        var top = _open.Pop();
        if (top != tag)
        {
            throw new InvalidOperationException($"closing <{tag}> while <{top}> is open");
        }
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element with escaped text content.</summary>
    public HtmlWriter El(string tag, string? text, string? cls = null, params (string Name, string Value)[] attrs)
    {
        Open(tag, cls, attrs);
        _sb.Append(Fmt.Text(text));
        return Close(tag);
    }

    public HtmlWriter Text(string? text)
    {
        _sb.Append(Fmt.Text(text));
        return this;
    }

    public HtmlWriter Line()
    {
        _sb.Append('\n');
        return this;
    }

    public override string ToString()
    {
        if (_open.Count != 0)
        {
            throw new InvalidOperationException($"unclosed <{_open.Peek()}>");
        }
        return _sb.ToString();
    }
}
