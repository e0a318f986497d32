namespace DmaSlip.Simulation.Execution;

/// <summary>
/// Which inbound packets a host drops: a pure function of (seed, host, message key) compared with the host's drop
/// share at that millisecond, so the real run and the twin draw the same numbers (common random numbers) and a
/// message's fate does not depend on how many other messages were drawn before it.
/// </summary>
internal static class Loss
{
    public static ulong SeedOf(long seed) => unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ 0x4C6F737344726F70UL);

    /// <summary>Uniform in [0, 1) from a SplitMix64 finalizer of the inputs.</summary>
    public static double Uniform(ulong seed, ulong host, ulong key)
    {
        var z = unchecked(seed + (host * 0xBF58476D1CE4E5B9UL) + (key * 0x94D049BB133111EBUL));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
