using DmaSlip.Core.Control;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Control;

/// <summary>
/// Loads a controller config from a JSON or YAML file (by extension; .yml/.yaml are YAML). YAML is turned into the
/// same JSON tree by the one YAML helper (<see cref="YamlJson"/>) and read by Core's
/// <see cref="RegimeControllerConfigJson"/>, so both formats share one set of field names, defaults and validation rules.
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
            if (!YamlJson.TryToJson(text, out text, out var yamlError))
            {
                errors = [yamlError!];
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
}
