using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Canonical;

/// <summary>
/// The simulator's JSON files. <c>inventory.json</c>: an array of host objects whose keys are the <c>hosts</c> columns →
/// one <c>hosts</c> row per object (a bad object is quarantined at its byte offset). <c>scenario.json</c>: recorded in
/// <c>ingest_files</c> only (one skipped record) — it holds parameters, not rows.
/// </summary>
internal sealed class JsonDocsParser(bool inventory) : IFormatParser
{
    private const int MaxBytes = 64 << 20;

    public void Parse(Stream input, FileContext ctx)
    {
        using var ms = new MemoryStream();
        input.CopyTo(ms);
        if (ms.Length > MaxBytes)
        {
            ctx.Quarantine(0, "JSON document larger than 64 MiB", default);
            return;
        }
        var bytes = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        if (!inventory)
        {
            try
            {
                using var _ = JsonDocument.Parse(ms.ToArray());
                ctx.Skip();
            }
            catch (JsonException ex)
            {
                ctx.Quarantine(ex.BytePositionInLine ?? 0, "scenario.json: not valid JSON: " + ex.Message, bytes);
            }
            return;
        }
        var builder = RowBuilder.Get(typeof(HostInfo));
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                ctx.Quarantine(0, "inventory.json: expected a JSON array of host objects", bytes[..Math.Min(200, bytes.Length)]);
                return;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var offset = reader.TokenStartIndex;
                using var element = JsonDocument.ParseValue(ref reader);
                var raw = bytes[(int)offset..(int)reader.BytesConsumed];
                if (element.RootElement.ValueKind != JsonValueKind.Object)
                {
                    ctx.Quarantine(offset, "inventory.json: array element is not an object", raw);
                    continue;
                }
                var texts = builder.Columns.Select(c => element.RootElement.TryGetProperty(c, out var v) ? Text(v) : null).ToList();
                var missing = builder.Columns.Where((c, i) => texts[i] is null && c != "security_review").ToList();
                if (missing.Count > 0)
                {
                    ctx.Quarantine(offset, "inventory.json: missing " + string.Join(", ", missing), raw);
                }
                else if (builder.TryBuild(texts, out var row, out var error))
                {
                    ctx.Add((HostInfo)row!);
                    ctx.Record();
                }
                else
                {
                    ctx.Quarantine(offset, "inventory.json: " + error, raw);
                }
            }
        }
        catch (JsonException ex)
        {
            ctx.Quarantine(reader.BytesConsumed, "inventory.json: not valid JSON from here on: " + ex.Message, default);
        }
    }

    private static string? Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => v.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => v.GetRawText(),
    };
}
