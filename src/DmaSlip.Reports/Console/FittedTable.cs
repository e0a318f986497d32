using Spectre.Console;
using Spectre.Console.Rendering;

namespace DmaSlip.Reports.Console;

/// <summary>
/// A Spectre table laid out so that no word is broken (<see cref="ConsoleTables.Fit"/>). Spectre, when a table is
/// wider than the console, narrows the widest columns without regard to their longest word and then cuts every
/// column evenly, which splits numbers and names across lines ("12,0" / "00"). Here the widths are chosen first:
/// each column keeps at least its longest word, the widest columns give way one character at a time, and the table
/// is rendered with those fixed widths; when even the longest words cannot stand side by side, each row becomes a
/// block of "column │ value" lines.
/// </summary>
internal sealed class FittedTable(Table table) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => ((IRenderable)table).Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        var n = table.Columns.Count;
        if (n == 0)
        {
            return ((IRenderable)table).Render(options, maxWidth);
        }
        var min = new int[n];
        var max = new int[n];
        for (var c = 0; c < n; c++)
        {
            var column = table.Columns[c];
            var m = column.Header.Measure(options, int.MaxValue);
            min[c] = m.Min;
            max[c] = m.Max;
        }
        foreach (var row in table.Rows)
        {
            var c = 0;
            foreach (var cell in row)
            {
                var m = cell.Measure(options, int.MaxValue);
                min[c] = Math.Max(min[c], m.Min);
                max[c] = Math.Max(max[c], m.Max);
                c++;
            }
        }
        // Each column has a space of padding either side and a border to its left; one more border closes the row.
        var available = maxWidth - (3 * n + 1);
        if (max.Sum() <= available)
        {
            return ((IRenderable)table).Render(options, maxWidth);
        }
        if (min.Sum() > available)
        {
            return ((IRenderable)Stacked()).Render(options, maxWidth);
        }
        var widths = (int[])max.Clone();
        for (var excess = widths.Sum() - available; excess > 0; excess--)
        {
            var widest = -1;
            for (var c = 0; c < n; c++)
            {
                if (widths[c] > min[c] && (widest < 0 || widths[c] > widths[widest]))
                {
                    widest = c;
                }
            }
            widths[widest]--;
        }
        for (var c = 0; c < n; c++)
        {
            table.Columns[c].Width = widths[c];
        }
        return ((IRenderable)table).Render(options, maxWidth);
    }

    /// <summary>One two-column table: for each row, a line per column (header, value), rows separated by a rule.</summary>
    private Table Stacked()
    {
        var t = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey).HideHeaders();
        t.AddColumn(new TableColumn("column"));
        t.AddColumn(new TableColumn("value"));
        if (table.Title is { } title)
        {
            t.Title = title;
        }
        if (table.Caption is { } caption)
        {
            t.Caption = caption;
        }
        var first = true;
        foreach (var row in table.Rows)
        {
            if (!first)
            {
                t.AddRow(new Rule().RuleStyle(Style.Parse("grey")), new Rule().RuleStyle(Style.Parse("grey")));
            }
            first = false;
            var c = 0;
            foreach (var cell in row)
            {
                t.AddRow(table.Columns[c].Header, cell);
                c++;
            }
        }
        return t;
    }
}
