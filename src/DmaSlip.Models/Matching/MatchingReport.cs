namespace DmaSlip.Models.Matching;

/// <summary>Effect of pressure inside one stratum: mean residual (pressured) − mean residual (calm), with a 95 % bootstrap CI.</summary>
public sealed record StratumEffect(string Stratum, int Pressured, int Calm, double EffectBps, double CiLowBps, double CiHighBps);

/// <summary>Balance of one covariate: standardized mean difference of pressured vs calm, before and after stratification.</summary>
public sealed record Balance(string Covariate, double SmdBefore, double SmdAfter);

/// <summary>
/// Matched market windows (DESIGN §5). <see cref="MatchedShare"/> = pressured parents whose stratum holds at least one
/// calm parent, over all pressured parents; the rest are the unmatched share and carry no effect estimate.
/// </summary>
public sealed record MatchingReport(
    int Strata,
    int MatchedStrata,
    int PressuredParents,
    int CalmParents,
    double MatchedShare,
    double UnmatchedShare,
    double AttBps,
    double AttCiLowBps,
    double AttCiHighBps,
    IReadOnlyList<StratumEffect> Effects,
    IReadOnlyList<Balance> Balance)
{
    public double MaxSmdAfter => Balance.Count == 0 ? 0 : Balance.Max(b => Math.Abs(b.SmdAfter));

    public double MaxSmdBefore => Balance.Count == 0 ? 0 : Balance.Max(b => Math.Abs(b.SmdBefore));
}
