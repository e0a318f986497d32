using System.Numerics;
using System.Runtime.CompilerServices;

namespace DmaSlip.Simulation.Internal;

/// <summary>
/// What a random stream is used for. Every purpose has its own stream so that the calm twin consumes exactly the
/// same draws as the real run for everything it shares (market path, order arrivals, base host traffic), whatever
/// the storm processes draw (common random numbers).
/// </summary>
internal enum RngStream : ulong
{
    Market = 1,
    Parents = 2,
    HostTraffic = 3,
    HostStorm = 4,
    HostLatency = 5,
    Venue = 6,
    Execution = 7,
    Inventory = 8,
    Trace = 9,
}

/// <summary>
/// xoshiro256** (Blackman and Vigna): a small, fast, well-tested generator with a 2^256 period. Hand-written
/// rather than <see cref="System.Random"/> because the simulator needs many independent, cheaply created streams
/// keyed by (seed, purpose, index) whose sequence never changes between .NET versions: byte-identical outputs
/// for a seed are an acceptance requirement. A mutable struct: keep it in a field or pass by ref.
/// </summary>
internal struct Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public static Rng Create(long seed, RngStream stream, long index = 0)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)stream << 48) ^ (ulong)index * 0xD1B54A32D192ED03UL);
        var r = default(Rng);
        r._s0 = SplitMix(ref x);
        r._s1 = SplitMix(ref x);
        r._s2 = SplitMix(ref x);
        r._s3 = SplitMix(ref x);
        return r;
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextU64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextU64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)((NextU64() >> 33) * (ulong)n >> 31);

    /// <summary>Exponential with the given mean.</summary>
    public double NextExp(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Standard normal (Box–Muller, one of the pair; simplicity over speed off the hot path).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// Poisson count with mean <paramref name="lambda"/>. Exact (product of uniforms) below 12; above, the normal
    /// approximation from <see cref="Normals"/> with continuity correction — the per-millisecond step draws
    /// tens of millions of these, and the approximation error at λ ≥ 12 is far below the model's own uncertainty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    /// <summary>Poisson(λ) for λ &lt; 12 with e^−λ precomputed by the caller (a constant rate draws without Math.Exp).</summary>
    public int NextPoissonSmall(double expNegLambda)
    {
        var k = 0;
        var p = NextDouble();
        while (p > expNegLambda)
        {
            k++;
            p *= NextDouble();
        }
        return k;
    }

    /// <summary>Poisson(λ) for a constant λ: <paramref name="expNegLambda"/> = e^−λ and <paramref name="sqrtLambda"/> = √λ precomputed.</summary>
    public int NextPoisson(double lambda, double expNegLambda, double sqrtLambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }
        if (lambda < 12)
        {
            return NextPoissonSmall(expNegLambda);
        }
        var v = lambda + (sqrtLambda * QuantileTable.Normal[QuantileTable.Cell(NextU64())]) + 0.5;
        return v <= 0 ? 0 : (int)v;
    }

    public int NextPoisson(double lambda) =>
        lambda <= 0 ? 0 : lambda < 12 ? NextPoissonSmall(Math.Exp(-lambda)) : NextPoisson(lambda, double.NaN, Math.Sqrt(lambda));

    /// <summary>A standard normal from the precomputed quantile table (hot path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextNormalFast() => QuantileTable.Normal[QuantileTable.Cell(NextU64())];
}

/// <summary>
/// Quantile tables at the midpoints of 2^12 equal-probability cells (stratified): a draw is one table read indexed by
/// the top 12 bits of a 64-bit random or hash value, no transcendental function on the hot path.
/// </summary>
internal static class QuantileTable
{
    public const int Bits = 12;

    /// <summary>Standard normal.</summary>
    public static readonly double[] Normal = Build(Normals.InverseCdf);

    /// <summary>Standard exponential, −ln(1 − u).</summary>
    public static readonly double[] Exponential = Build(u => -Math.Log(1 - u));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Cell(ulong bits) => (int)(bits >> (64 - Bits));

    private static double[] Build(Func<double, double> quantile)
    {
        var n = 1 << Bits;
        var t = new double[n];
        for (var i = 0; i < n; i++)
        {
            t[i] = quantile((i + 0.5) / n);
        }
        return t;
    }
}

internal static class Normals
{

    /// <summary>Acklam's rational approximation of the normal quantile (relative error &lt; 1.2e-9).</summary>
    public static double InverseCdf(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double pl = 0.02425;
        if (p < pl)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - pl)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }

    /// <summary>Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| &lt; 1.5e-7).</summary>
    public static double Cdf(double x)
    {
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * z);
        var y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
    }
}
