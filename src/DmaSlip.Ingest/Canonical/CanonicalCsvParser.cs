using DmaSlip.Ingest.Internal;
using nietras.SeparatedValues;

namespace DmaSlip.Ingest.Canonical;

/// <summary>
/// Canonical CSV: a header equal to the snake_case columns of a canonical table (in order), then rows of that table.
/// Read with Sep (quotes, escapes). A row that does not convert is quarantined at its line number.
/// </summary>
internal sealed class CanonicalCsvParser : IFormatParser
{
    public void Parse(Stream input, FileContext ctx)
    {
        using var reader = Sep.Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(input);
        RowBuilder? builder = null;
        var badHeader = false;
        var texts = new List<string?>();
        var enumerator = reader.GetEnumerator();
        while (true)
        {
            long line = 0;
            try
            {
                if (!enumerator.MoveNext())
                {
                    break;
                }
                var row = enumerator.Current;
                line = row.LineNumberFrom;
                var span = row.Span;
                if (span.Trim().IsEmpty)
                {
                    continue;
                }
                texts.Clear();
                for (var i = 0; i < row.ColCount; i++)
                {
                    texts.Add(row[i].ToString());
                }
                if (builder is null && !badHeader)
                {
                    var header = string.Join(",", texts.Select(t => t?.Trim()));
                    if (CanonicalTables.MatchHeader(System.Text.Encoding.UTF8.GetBytes(header)) is { } table)
                    {
                        builder = RowBuilder.Get(table.Row);
                        continue;
                    }
                    badHeader = true; // not this format at all: every line is quarantined, none lands
                }
                if (builder is null)
                {
                    ctx.Quarantine(line, "canonical CSV: the header is not the column list of a canonical table", System.Text.Encoding.UTF8.GetBytes(span.ToString()));
                    continue;
                }
                if (builder.TryBuild(texts, out var value, out var error))
                {
                    Add(ctx, value!);
                    ctx.Record();
                }
                else
                {
                    ctx.Quarantine(line, "canonical CSV: " + error, System.Text.Encoding.UTF8.GetBytes(span.ToString()));
                }
            }
            catch (Exception ex) when (ex is not IngestException)
            {
                // the CSV reader lost its framing (e.g. an unterminated quote): the rest of the file is one bad record
                ctx.Quarantine(line, "canonical CSV: unreadable from here on: " + ex.Message, default);
                break;
            }
        }
        enumerator.Dispose();
    }

    internal static void Add(FileContext ctx, object row)
    {
        switch (row)
        {
            case Core.Domain.HostInfo r: ctx.Add(r); break;
            case Core.Domain.HostEventRow r: ctx.Add(r); break;
            case Core.Domain.HostFrame r: ctx.Add(r); break;
            case Core.Domain.HostCounter r: ctx.Add(r); break;
            case Core.Domain.Quote r: ctx.Add(r); break;
            case Core.Domain.Trade r: ctx.Add(r); break;
            case Core.Domain.BookEvent r: ctx.Add(r); break;
            case Core.Domain.ParentOrder r: ctx.Add(r); break;
            case Core.Domain.OrderEvent r: ctx.Add(r); break;
            case Core.Domain.ExecFrame r: ctx.Add(r); break;
            case Core.Domain.ParentOutcome r: ctx.Add(r); break;
            case Core.Domain.RegimeTransition r: ctx.Add(r); break;
            case Core.Domain.RouteChange r: ctx.Add(r); break;
            case Core.Domain.ModelArtifact r: ctx.Add(r); break;
            case Core.Domain.IngestFile r: ctx.Add(r); break;
            case Core.Domain.QuarantineRecord r: ctx.Add(r); break;
            case Core.Domain.TruthParent r: ctx.Add(r); break;
            case Core.Domain.TruthWindow r: ctx.Add(r); break;
            case Core.Domain.IommuEstimateRow r: ctx.Add(r); break;
            default: throw new InvalidOperationException($"{row.GetType().Name} is not a canonical row type.");
        }
    }
}
