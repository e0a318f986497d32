namespace DmaSlip.Models.Artifacts;

/// <summary>
/// What a stored model was fitted on and how well it did: scope (host pool), version, the data range, the host
/// configurations (with fingerprints) it is valid for, the overlay's feature names in order, and held-out metrics.
/// </summary>
public sealed record ModelMetadata(
    string ModelId,
    string Scope,
    int Version,
    long CreatedNs,
    long DataFromNs,
    long DataToNs,
    int Parents,
    IReadOnlyList<HostConfig> Hosts,
    IReadOnlyList<string> Features,
    IReadOnlyDictionary<string, double> Metrics)
{
    public const string Kind = "slippage-stack";

    public static string IdOf(string scope, int version) => $"{Kind}-{scope}-v{version}";
}
