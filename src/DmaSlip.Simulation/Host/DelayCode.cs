namespace DmaSlip.Simulation.Host;

/// <summary>
/// One byte per millisecond for a host's extra order-path delay: code 0 = 0 ns, code k = 500 ns · 1.055^(k−1),
/// so 255 ≈ 400 ms with ~5.5 % resolution. Keeps a 6.5-hour session's per-ms delay timeline at 23 MB per
/// host instead of 187 MB of doubles (the benchmark holds 8 hosts and their twins in memory).
/// </summary>
internal static class DelayCode
{
    private const double Base = 500;
    private const double Step = 1.055;
    private static readonly long[] Decoded = BuildDecoded();
    private static readonly double LogStep = Math.Log(Step);

    public static byte Encode(double ns)
    {
        if (!(ns >= Base * 0.97))
        {
            return 0;
        }
        var k = (int)Math.Round(Math.Log(ns / Base) / LogStep) + 1;
        return (byte)Math.Clamp(k, 1, 255);
    }

    public static long Decode(byte code) => Decoded[code];

    private static long[] BuildDecoded()
    {
        var t = new long[256];
        for (var k = 1; k < 256; k++)
        {
            t[k] = (long)Math.Round(Base * Math.Pow(Step, k - 1));
        }
        return t;
    }
}
