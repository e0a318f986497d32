using System.Text;
using System.Text.Json;
using DmaSlip.Core.Control;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DmaSlip.Application.Control;

/// <summary>
/// Loads a controller config from a JSON or YAML file (by extension; .yml/.yaml are YAML). YAML is turned into the
/// same JSON tree and read by Core's <see cref="RegimeControllerConfigJson"/>, so both formats share one set of
/// field names, defaults and validation rules.
/// </summary>
internal static class ControllerConfigFile
{
    /// <summary>The config, or null with every problem (parse errors carry line/column for YAML).</summary>
    public static RegimeControllerConfig? TryLoad(string path, out IReadOnlyList<string> errors)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"controller config '{path}' does not exist");
        }
        var text = File.ReadAllText(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".yml" or ".yaml")
        {
            try
            {
                text = YamlToJson(text);
            }
            catch (YamlException ex)
            {
                errors = [$"not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}"];
                return null;
            }
        }
        return RegimeControllerConfigJson.TryParse(text, out errors);
    }

    /// <summary>Loads or throws <see cref="InputException"/> listing the problems (for commands that just need a config).</summary>
    public static RegimeControllerConfig LoadOrDefault(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return RegimeControllerConfig.Default;
        }
        return TryLoad(path, out var errors)
            ?? throw new InputException($"controller config '{path}' is invalid:\n  " + string.Join("\n  ", errors));
    }

    internal static string YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            if (stream.Documents.Count == 0)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                Write(w, stream.Documents[0].RootNode);
            }
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Write(Utf8JsonWriter w, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                w.WriteStartObject();
                foreach (var (k, v) in map.Children)
                {
                    w.WritePropertyName(((YamlScalarNode)k).Value ?? "");
                    Write(w, v);
                }
                w.WriteEndObject();
                break;
            case YamlSequenceNode seq:
                w.WriteStartArray();
                foreach (var item in seq.Children)
                {
                    Write(w, item);
                }
                w.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(w, scalar);
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter w, YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            w.WriteStringValue(v);
            return;
        }
        // YAML 1.2 core schema for plain scalars: null, booleans, numbers, else string.
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            w.WriteNullValue();
        }
        else if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            w.WriteBooleanValue(v[0] is 't' or 'T');
        }
        else if (double.TryParse(v.Replace("_", "", StringComparison.Ordinal), System.Globalization.NumberStyles.Float,
                     System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            w.WriteNumberValue(d);
        }
        else
        {
            w.WriteStringValue(v);
        }
    }
}
