using System.Globalization;
using System.Text.Json;

namespace DmaSlip.Reports.Model;

/// <summary>
/// How drill results and advice reach the report: as the JSON that <c>dmaslip drill all --json</c> and
/// <c>dmaslip advise --json</c> print, saved beside the database as <see cref="DrillsFileName"/> and
/// <see cref="AdviceFileName"/> (the demo's stages write them there). Reading is tolerant: unknown fields are ignored,
/// evidence may be a string, number, list or object.
/// </summary>
public static class ReportInputs
{
    public const string DrillsFileName = "drills.json";
    public const string AdviceFileName = "advice.json";

    /// <summary>
    /// Drills from <c>{"drills": [{"name", "passed", "criteria": [{"name", "value", "threshold", "passed"}], "evidence": {...}}]}</c>
    /// (a bare array of drills is accepted too).
    /// </summary>
    public static IReadOnlyList<DrillResult> ReadDrills(string json)
    {
        using var doc = Parse(json, "drills");
        var root = doc.RootElement;
        var array = root.ValueKind == JsonValueKind.Array ? root : Property(root, "drills")
            ?? throw new FormatException("drills JSON has no \"drills\" array");
        var list = new List<DrillResult>();
        foreach (var d in array.EnumerateArray())
        {
            var name = String(d, "name") ?? throw new FormatException("a drill has no \"name\"");
            var criteria = new List<DrillCriterion>();
            if (Property(d, "criteria") is { ValueKind: JsonValueKind.Array } cs)
            {
                foreach (var c in cs.EnumerateArray())
                {
                    // the drill command writes the comparison separately ("op": "<="); show it with the threshold
                    var threshold = Show(Property(c, "threshold"));
                    if (String(c, "op") is { Length: > 0 } op)
                    {
                        threshold = $"{op} {threshold}";
                    }
                    criteria.Add(new DrillCriterion(String(c, "name") ?? "?", Show(Property(c, "value")), threshold, Bool(c, "passed") ?? false));
                }
            }
            var passed = Bool(d, "passed") ?? (criteria.Count > 0 && criteria.All(c => c.Passed));
            list.Add(new DrillResult(name, passed, criteria, Pairs(Property(d, "evidence"))));
        }
        return list;
    }

    /// <summary>
    /// Advice from <c>{"mitigations": [{"rank", "title", "pools", "hosts", "expected_gain_bps", "evidence"}],
    /// "anti_patterns": [{"kind", "severity", "hosts", "message", "evidence"}]}</c>.
    /// </summary>
    public static AdviceReport ReadAdvice(string json)
    {
        using var doc = Parse(json, "advice");
        var root = doc.RootElement;
        var mitigations = new List<Mitigation>();
        if (Property(root, "mitigations") is { ValueKind: JsonValueKind.Array } ms)
        {
            var i = 0;
            foreach (var m in ms.EnumerateArray())
            {
                i++;
                var rank = Property(m, "rank") is { ValueKind: JsonValueKind.Number } r ? r.GetInt32() : i;
                var title = String(m, "title") ?? String(m, "kind") ?? "?";
                var gain = Property(m, "expected_gain_bps") is { ValueKind: JsonValueKind.Number } g ? g.GetDouble() : (double?)null;
                var evidence = Flatten(Property(m, "evidence"));
                if (String(m, "gain_basis") is { Length: > 0 } basis)
                {
                    evidence = evidence.Length == 0 ? $"gain: {basis}" : $"{evidence}; gain: {basis}";
                }
                mitigations.Add(new Mitigation(rank, title, evidence, gain, Targets(m)));
            }
        }
        var anti = new List<AntiPattern>();
        if (Property(root, "anti_patterns") is { ValueKind: JsonValueKind.Array } aps)
        {
            foreach (var a in aps.EnumerateArray())
            {
                var finding = String(a, "message") ?? String(a, "finding") ?? "";
                var evidence = Flatten(Property(a, "evidence"));
                if (evidence.Length > 0)
                {
                    finding = finding.Length == 0 ? evidence : $"{finding} ({evidence})";
                }
                anti.Add(new AntiPattern(String(a, "kind") ?? String(a, "name") ?? "?", finding, Targets(a), String(a, "severity") ?? "medium"));
            }
        }
        return new AdviceReport(mitigations, anti);
    }

    private static JsonDocument Parse(string json, string what)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{what} JSON does not parse: {ex.Message}", ex);
        }
    }

    private static JsonElement? Property(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }
        return null;
    }

    private static string? String(JsonElement e, string name) => Property(e, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static bool? Bool(JsonElement e, string name) => Property(e, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    private static IReadOnlyList<string> Targets(JsonElement e)
    {
        var list = new List<string>();
        foreach (var key in new[] { "pools", "hosts", "targets", "where" })
        {
            if (Property(e, key) is { ValueKind: JsonValueKind.Array } arr)
            {
                list.AddRange(arr.EnumerateArray().Select(x => Show(x)).Where(s => s.Length > 0));
            }
            else if (String(e, key) is { Length: > 0 } s)
            {
                list.Add(s);
            }
        }
        return list.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A JSON value as a reader would write it: numbers to 4 significant digits, strings bare.</summary>
    internal static string Show(JsonElement? e) => e switch
    {
        null => Fmt.Missing,
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { ValueKind: JsonValueKind.Number } n => n.TryGetInt64(out var l) ? l.ToString("N0", CultureInfo.InvariantCulture) : n.GetDouble().ToString("G4", CultureInfo.InvariantCulture),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        { ValueKind: JsonValueKind.Null } => Fmt.Missing,
        { ValueKind: JsonValueKind.Array } a => "[" + string.Join(", ", a.EnumerateArray().Select(x => Show(x))) + "]",
        { } o => string.Join(", ", o.EnumerateObject().Select(p => $"{p.Name}: {Show(p.Value)}")),
    };

    private static List<KeyValuePair<string, string>> Pairs(JsonElement? e) => e switch
    {
        { ValueKind: JsonValueKind.Object } o => [.. o.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, Show(p.Value)))],
        null or { ValueKind: JsonValueKind.Null } => [],
        { } v => [new("evidence", Show(v))],
    };

    private static string Flatten(JsonElement? e) => e switch
    {
        null or { ValueKind: JsonValueKind.Null } => "",
        { ValueKind: JsonValueKind.Array } a => string.Join("; ", a.EnumerateArray().Select(x => Show(x))),
        { ValueKind: JsonValueKind.Object } o => string.Join("; ", o.EnumerateObject().Select(p => $"{p.Name} {Show(p.Value)}")),
        { } v => Show(v),
    };
}
