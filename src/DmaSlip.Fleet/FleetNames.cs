namespace DmaSlip.Fleet;

/// <summary>
/// The names fleet mode agrees on: stream, subjects, durable consumers, KV bucket, message ids (docs/FLEET.md).
/// Host and pool names become subject tokens, so they are validated here once for every component.
/// </summary>
public static class FleetNames
{
    public const string Stream = "DMASLIP";
    public const string FramesPrefix = "dmaslip.frames";
    public const string RegimesPrefix = "dmaslip.regimes";
    public const string FramesConsumer = "dmaslip-serve-frames";
    public const string RegimesConsumer = "dmaslip-serve-regimes";
    public const string RoutesBucket = "dmaslip-routes";
    public const string LeaseBucket = "dmaslip-lease";

    /// <summary>JetStream's default duplicate window, stated explicitly so the docs and the stream agree.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(2);

    public static string FramesSubject(string pool, string host) => $"{FramesPrefix}.{pool}.{host}";

    public static string RegimesSubject(string pool, string host) => $"{RegimesPrefix}.{pool}.{host}";

    /// <summary><c>Nats-Msg-Id</c> of a frame batch or regime change: <c>host/boot/sequence</c> (kind-prefixed sequence for regimes).</summary>
    public static string MessageId(string host, string boot, string kind, ulong sequence) => $"{host}/{boot}/{kind}{sequence}";

    /// <summary>True when <paramref name="token"/> can be one subject token (and a KV key): letters, digits, '-', '_'.</summary>
    public static bool IsValidToken(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return false;
        }
        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    public static string RequireToken(string? token, string what) =>
        IsValidToken(token)
            ? token!
            : throw new ArgumentException($"{what} '{token}' is not a valid name: use 1–128 ASCII letters, digits, '-' or '_' (it becomes a NATS subject token).", what);
}
