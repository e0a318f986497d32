using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DmaSlip.Simulation;

/// <summary>
/// The one YAML → JSON conversion (scenario files and controller configs): YAML is turned into the same JSON tree and
/// then read by the JSON reader of each format, so both formats share one set of field names, defaults and rules.
/// Plain scalars follow the YAML 1.2 core schema: null (<c>~</c>, <c>null</c>, empty), booleans, integers, finite
/// numbers (<c>_</c> separators allowed; a plain <c>.nan</c>, <c>.inf</c> or overflowing number is an error), else strings; quoted scalars are always strings. Only the first document is read.
/// </summary>
public static class YamlJson
{
    /// <summary>The JSON tree of <paramref name="yaml"/> (an empty object for an empty file).</summary>
    /// <exception cref="YamlException">Not valid YAML (the exception carries line and column).</exception>
    public static JsonNode? ToNode(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode);
    }

    /// <summary>JSON text of <paramref name="yaml"/>, or false with "not valid YAML at line L, column C: reason".</summary>
    public static bool TryToJson(string yaml, out string json, out string? error)
    {
        try
        {
            json = ToNode(yaml)?.ToJsonString() ?? "null";
            error = null;
            return true;
        }
        catch (YamlException ex)
        {
            json = "";
            error = $"not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}";
            return false;
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(Convert)]),
        YamlScalarNode v => Scalar(v),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode v)
    {
        var s = v.Value ?? "";
        if (v.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(s);
        }
        if (s is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (s is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(s[0] is 't' or 'T');
        }
        var digits = s.Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }
        var yamlNonFinite = digits.TrimStart('+', '-') is ".nan" or ".NaN" or ".NAN" or ".inf" or ".Inf" or ".INF";
        if (double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || yamlNonFinite)
        {
            // A config number that is NaN or infinite (.nan, .inf, 1e400) has no meaning as a threshold or a
            // duration; JSON cannot carry it, and as the string it would become the reader would only say
            // "expected a number". Say what is wrong, where.
            return double.IsFinite(d) && !yamlNonFinite
                ? JsonValue.Create(d)
                : throw new YamlException(v.Start, v.End, $"'{s}' is not a finite number (NaN and infinity are not allowed in a config)");
        }
        return JsonValue.Create(s);
    }
}
