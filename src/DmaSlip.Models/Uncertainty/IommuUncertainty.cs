using DmaSlip.Models.Matching;

namespace DmaSlip.Models.Uncertainty;

/// <summary>
/// The sampling uncertainty of one pool's C_iommu estimates, for the mean over any subset of its parents
/// (<see cref="Draws"/>, combined across pools by <see cref="IommuInterval.Combine"/>). B = <see cref="Replicates"/>
/// bootstrap replicates with a fixed seed, so the same data gives the same interval.
/// <list type="bullet">
/// <item><b>Overlay</b>: each member i of the subset contributes ψ_i = C_i + e_i, e_i = r_i − Δ̂IS_mean_i (the
/// overlay's error on the parent's realized residual r = IS − IS_hat_baseline; ψ_i = 0 for a calm-hurdle parent).
/// Replicate b resamples the members with replacement and the calm parents' errors e_j (the reference C_iommu is
/// measured against): deviation_b = Σ ψ* − Σ ψ − m·(mean e*_calm − mean e_calm), m = the subset's non-calm members. The
/// estimate's own noise is then that of the residuals it explains (≈ sd(r − Δ̂)/√n), and a mean C_iommu whose
/// parents' residuals do not bear it out moves the interval.</item>
/// <item><b>Matched windows</b>: deviation_b = Σ over non-calm members of the replicate deviation of the member's
/// stratum effect (<see cref="MatchedEffects"/>).</item>
/// </list>
/// </summary>
public sealed class IommuUncertainty
{
    public const int Replicates = 400;
    private const int Seed = 19;

    private readonly double[] _estimate;
    private readonly bool[] _calm;
    private readonly double[]? _psi;
    private readonly double[]? _calmErrors;
    private readonly MatchedEffects? _matched;

    private IommuUncertainty(IommuMethod method, double[] estimate, bool[] calm, double[]? psi, double[]? calmErrors, MatchedEffects? matched)
    {
        Method = method;
        _estimate = estimate;
        _calm = calm;
        _psi = psi;
        _calmErrors = calmErrors;
        _matched = matched;
    }

    public IommuMethod Method { get; }

    /// <summary>An overlay pool: <paramref name="estimate"/> = C_i (0 for calm), <paramref name="error"/> = e_i per parent.</summary>
    public static IommuUncertainty ForOverlay(double[] estimate, bool[] calm, double[] error)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(calm);
        ArgumentNullException.ThrowIfNull(error);
        var psi = new double[estimate.Length];
        for (var i = 0; i < psi.Length; i++)
        {
            psi[i] = calm[i] ? 0 : estimate[i] + error[i];
        }
        var calmErrors = Enumerable.Range(0, calm.Length).Where(i => calm[i] && double.IsFinite(error[i])).Select(i => error[i]).ToArray();
        return new IommuUncertainty(IommuMethod.Overlay, estimate, calm, psi, calmErrors, null);
    }

    /// <summary>A matched-windows pool: <paramref name="estimate"/> = C_i (the member's group effect, 0 for calm).</summary>
    public static IommuUncertainty ForMatched(double[] estimate, bool[] calm, MatchedEffects matched) =>
        new(IommuMethod.MatchedWindows, estimate, calm, null, null, matched);

    /// <summary>A pool without any estimate (no calm reference): every subset is empty.</summary>
    public static IommuUncertainty None(int parents) => new(IommuMethod.None, new double[parents], new bool[parents], null, null, null);

    /// <summary>Σ C_iommu, count and replicate deviations over the parents with <paramref name="member"/>[i] set.</summary>
    public SubsetDraws Draws(IReadOnlyList<bool> member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var name = IommuMethods.Name(Method);
        if (Method == IommuMethod.None)
        {
            return new SubsetDraws(0, 0, new double[Replicates], name);
        }
        var idx = Enumerable.Range(0, _estimate.Length).Where(i => member[i]).ToArray();
        var sum = idx.Sum(i => _estimate[i]);
        var deviations = new double[Replicates];
        var treated = idx.Count(i => !_calm[i]);
        if (_matched is not null)
        {
            foreach (var i in idx)
            {
                var g = _matched.Group[i];
                if (_calm[i] || g < 0)
                {
                    continue;
                }
                var dev = _matched.Deviations[g];
                for (var b = 0; b < Replicates; b++)
                {
                    deviations[b] += dev[b];
                }
            }
            return new SubsetDraws(sum, idx.Length, deviations, name);
        }
        var psi = _psi!;
        var calmErrors = _calmErrors!;
        var psiSum = idx.Sum(i => psi[i]);
        var calmMean = calmErrors.Length == 0 ? 0 : calmErrors.Average();
        var rng = new Random(Seed);
        for (var b = 0; b < Replicates && idx.Length > 0; b++)
        {
            double s = 0;
            for (var k = 0; k < idx.Length; k++)
            {
                s += psi[idx[rng.Next(idx.Length)]];
            }
            double c = 0;
            for (var k = 0; k < calmErrors.Length; k++)
            {
                c += calmErrors[rng.Next(calmErrors.Length)];
            }
            var calmShift = calmErrors.Length == 0 ? 0 : (c / calmErrors.Length) - calmMean;
            deviations[b] = s - psiSum - (treated * calmShift);
        }
        return new SubsetDraws(sum, idx.Length, deviations, name);
    }

    /// <summary>The pool's own interval over its non-calm parents (null when it has none).</summary>
    public IommuInterval? PressuredInterval() =>
        IommuInterval.Combine([Draws(_calm.Select(c => !c).ToArray())]);

    /// <summary>
    /// A parent's interval: its estimate plus the deviation percentiles of its stratum effect (matched windows) or of
    /// the pool's mean over its non-calm parents (overlay); [0, 0] for a calm-hurdle parent; null without an estimate.
    /// </summary>
    public (double Low, double High)? ParentInterval(int i, IommuInterval? pool)
    {
        if (Method == IommuMethod.None)
        {
            return null;
        }
        if (_calm[i])
        {
            return (0, 0);
        }
        if (_matched is not null)
        {
            var g = _matched.Group[i];
            if (g < 0)
            {
                return null;
            }
            var sorted = _matched.Deviations[g].Order().ToArray();
            return (_estimate[i] + IommuInterval.Quantile7(sorted, 0.025), _estimate[i] + IommuInterval.Quantile7(sorted, 0.975));
        }
        return pool is null ? null : (_estimate[i] + pool.LowBps - pool.MeanBps, _estimate[i] + pool.HighBps - pool.MeanBps);
    }
}
