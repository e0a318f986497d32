using System.Text.Json.Serialization;

namespace DmaSlip.Fleet.Routing;

/// <summary>
/// The routing state of one pool (value of key <c>&lt;pool&gt;</c> in KV bucket <c>dmaslip-routes</c>).
/// <see cref="Measured"/>: every host of the pool reported recently and is MAP_STABLE (set by the service);
/// <see cref="Pinned"/>: an operator vouches for the pool regardless of measurements. Urgent flow may go to a pool
/// when it is <see cref="ValidatedLowPressure"/>.
/// </summary>
public sealed record PoolRoute(
    string Pool,
    bool Measured,
    string MeasuredReason,
    bool Pinned,
    string? PinReason,
    string? PinActor,
    long UpdatedNs)
{
    [JsonIgnore]
    public bool ValidatedLowPressure => Pinned || Measured;

    [JsonIgnore]
    public string State => Pinned ? "pinned_low_pressure" : Measured ? "validated_low_pressure" : "not_validated";
}

[JsonSerializable(typeof(PoolRoute))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class RouteJsonContext : JsonSerializerContext;
