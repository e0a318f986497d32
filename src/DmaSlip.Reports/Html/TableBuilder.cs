namespace DmaSlip.Reports.Html;

/// <summary>A data table: header row, then rows of cells; numeric columns right-aligned with tabular figures.</summary>
internal sealed class TableBuilder(params string[] headers)
{
    private readonly List<Cell[]> _rows = [];
    private readonly HashSet<int> _numeric = [];

    public string? Caption { get; init; }

    public string? Css { get; init; }

    /// <summary>Marks columns (by index) as numbers.</summary>
    public TableBuilder Numeric(params int[] columns)
    {
        foreach (var c in columns)
        {
            _numeric.Add(c);
        }
        return this;
    }

    public TableBuilder Row(params Cell[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"row has {cells.Length} cells, table has {headers.Length} columns");
        }
        _rows.Add(cells);
        return this;
    }

    public int Count => _rows.Count;

    public void WriteTo(HtmlWriter w)
    {
        w.Open("div", "table-wrap").Open("table", Css is null ? "data" : "data " + Css);
        if (Caption is not null)
        {
            w.El("caption", Caption);
        }
        w.Open("thead").Open("tr");
        for (var i = 0; i < headers.Length; i++)
        {
            w.El("th", headers[i], _numeric.Contains(i) ? "num" : null, ("scope", "col"));
        }
        w.Close("tr").Close("thead").Open("tbody");
        foreach (var row in _rows)
        {
            w.Open("tr");
            for (var i = 0; i < row.Length; i++)
            {
                var c = row[i];
                var cls = string.Join(' ', new[] { _numeric.Contains(i) ? "num" : null, c.Css }.Where(s => s is not null));
                w.Open("td", cls.Length == 0 ? null : cls, c.Title is null ? [] : [("title", c.Title)]);
                if (c.Markup is not null)
                {
                    w.Raw(c.Markup);
                }
                else
                {
                    w.Text(c.Text);
                }
                w.Close("td");
            }
            w.Close("tr");
        }
        w.Close("tbody").Close("table").Close("div");
    }
}

/// <summary>One table cell: escaped text, or trusted markup built by the report itself; optional class and tooltip.</summary>
internal readonly record struct Cell(string? Text, string? Css = null, string? Markup = null, string? Title = null)
{
    public static implicit operator Cell(string text) => new(text);

    public static Cell Num(string text, string? css = null) => new(text, css);

    public static Cell Badge(bool passed) =>
        new(null, Markup: passed ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>");

    public static Cell Code(string text) => new(null, Markup: "<code>" + Fmt.Text(text) + "</code>");
}
