using System.Text.Json;
using DmaSlip.Models.Baseline;
using DmaSlip.Models.Features;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;

namespace DmaSlip.Models.Artifacts;

/// <summary>
/// A model's files in one folder: <c>metadata.json</c>, <c>baseline.json</c>, <c>overlay.json</c> (constants,
/// calibration slope, each host's calm profile, metrics, the strategies behind <c>strategy_code</c>) and LightGBM's own model text <c>overlay-mean.txt</c> /
/// <c>overlay-q95.txt</c> (absent when the validation chose a constant). Loading checks the feature schema.
/// </summary>
public static class ModelFiles
{
    // Metrics can be NaN (e.g. no validation rows in a tiny pool); JSON has no NaN, so it is written as "NaN".
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private sealed record OverlayState(double ConstantMean, double Slope, double ConstantQ95, CalmProfile CalmProfile, OverlayMetrics Metrics, double? SigmaReferenceBps = null, double Q95Offset = 0,
        IReadOnlyList<string>? Strategies = null);

    public static void Save(string dir, SlippageModel model, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        Directory.CreateDirectory(dir);
        var (mean, q95) = model.Overlay.ModelTexts();
        Write(Path.Combine(dir, "overlay-mean.txt"), mean);
        Write(Path.Combine(dir, "overlay-q95.txt"), q95);
        File.WriteAllText(Path.Combine(dir, "baseline.json"), JsonSerializer.Serialize(model.Baseline, Json));
        var o = model.Overlay;
        File.WriteAllText(Path.Combine(dir, "overlay.json"),
            JsonSerializer.Serialize(new OverlayState(o.ConstantMean, o.Slope, o.ConstantQ95, o.CalmProfile, o.Metrics, double.IsFinite(o.SigmaReferenceBps) ? o.SigmaReferenceBps : null, o.Q95Offset, model.Strategies), Json));
        // Metadata last: a folder with metadata.json is complete.
        File.WriteAllText(Path.Combine(dir, "metadata.json"), JsonSerializer.Serialize(metadata, Json));
    }

    public static ModelMetadata ReadMetadata(string dir) =>
        JsonSerializer.Deserialize<ModelMetadata>(File.ReadAllText(Path.Combine(dir, "metadata.json")), Json)
        ?? throw new InvalidDataException($"{dir}/metadata.json is empty");

    public static (SlippageModel Model, ModelMetadata Metadata) Load(string dir)
    {
        var metadata = ReadMetadata(dir);
        var expected = OverlayFeatureSchema.Features.Select(f => f.Name).ToArray();
        if (!metadata.Features.SequenceEqual(expected, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"{dir}: model was fitted on another feature schema ({metadata.Features.Count} features); refit it");
        }
        var baseline = JsonSerializer.Deserialize<BaselineStack>(File.ReadAllText(Path.Combine(dir, "baseline.json")), Json)
            ?? throw new InvalidDataException($"{dir}/baseline.json is empty");
        var state = JsonSerializer.Deserialize<OverlayState>(File.ReadAllText(Path.Combine(dir, "overlay.json")), Json)
            ?? throw new InvalidDataException($"{dir}/overlay.json is empty");
        var overlay = IommuOverlay.Load(Read(Path.Combine(dir, "overlay-mean.txt")), state.ConstantMean, state.Slope,
            Read(Path.Combine(dir, "overlay-q95.txt")), state.ConstantQ95, state.CalmProfile ?? throw new InvalidDataException($"{dir}/overlay.json has no calm profile (an older model); refit it"), state.Metrics,
            state.SigmaReferenceBps ?? double.NaN, state.Q95Offset);
        return (new SlippageModel(baseline, overlay, state.Strategies ?? []), metadata);
    }

    private static void Write(string path, string? text)
    {
        if (text is null)
        {
            File.Delete(path);
        }
        else
        {
            File.WriteAllText(path, text);
        }
    }

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
