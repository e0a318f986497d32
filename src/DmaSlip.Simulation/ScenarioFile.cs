using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DmaSlip.Simulation.Output;
using YamlDotNet.Core;

namespace DmaSlip.Simulation;

/// <summary>
/// Scenario files in YAML or JSON with the same snake_case keys as <c>scenario.json</c> (e.g. <c>pools:</c>,
/// <c>iommu_mode: strict</c>, <c>storms:</c>). A file may start from a built-in with <c>base: storm</c> and override
/// only what differs (objects merge, lists replace). Unknown keys and invalid values are errors that name the key.
/// </summary>
public static class ScenarioFile
{
    private static readonly JsonSerializerOptions Options = new(OutputWriter.Json)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A built-in name or a path to a .yaml/.yml/.json file.</summary>
    public static Scenario Resolve(string nameOrPath)
    {
        if (Scenarios.TryGet(nameOrPath, out var builtIn))
        {
            return builtIn;
        }
        if (!File.Exists(nameOrPath))
        {
            throw new ScenarioException([$"'{nameOrPath}' is neither a built-in scenario ({string.Join(", ", Scenarios.Names)}) nor an existing file"]);
        }
        return Parse(File.ReadAllText(nameOrPath), Path.GetExtension(nameOrPath).ToLowerInvariant() is ".json" ? "json" : "yaml", nameOrPath);
    }

    public static Scenario Parse(string text, string format, string source = "scenario")
    {
        JsonNode? node;
        try
        {
            node = format == "json" ? JsonNode.Parse(text) : YamlJson.ToNode(text);
        }
        catch (YamlException ex)
        {
            throw new ScenarioException([$"{source}: not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}"]);
        }
        catch (JsonException ex)
        {
            throw new ScenarioException([$"{source}: not valid JSON: {ex.Message}"]);
        }
        if (node is not JsonObject obj)
        {
            throw new ScenarioException([$"{source}: the top level must be a mapping of scenario keys"]);
        }
        if (obj["scenario"] is JsonObject inner)
        {
            obj = inner; // a scenario.json written by a run: {"scenario": {...}, "seed": N}
        }
        if (obj["base"] is JsonValue b)
        {
            var name = b.ToString();
            if (!Scenarios.TryGet(name, out var baseScenario))
            {
                throw new ScenarioException([$"{source}: base '{name}' is not a built-in scenario ({string.Join(", ", Scenarios.Names)})"]);
            }
            obj.Remove("base");
            var merged = JsonSerializer.SerializeToNode(baseScenario, OutputWriter.Json)!.AsObject();
            Merge(merged, obj);
            obj = merged;
        }
        Scenario? scenario;
        try
        {
            scenario = obj.Deserialize<Scenario>(Options);
        }
        catch (JsonException ex)
        {
            throw new ScenarioException([$"{source}: {(ex.Path is null ? "" : ex.Path.TrimStart('$', '.') + ": ")}{ex.Message}"]);
        }
        if (scenario is null)
        {
            throw new ScenarioException([$"{source}: empty scenario"]);
        }
        var errors = scenario.Validate();
        return errors.Count == 0 ? scenario : throw new ScenarioException([.. errors.Select(e => $"{source}: {e}")]);
    }

    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides.ToArray())
        {
            if (value is JsonObject o && target[key] is JsonObject t)
            {
                Merge(t, o);
            }
            else
            {
                overrides.Remove(key);
                target[key] = value;
            }
        }
    }
}
