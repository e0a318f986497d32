using System.Globalization;
using System.Text;

namespace DmaSlip.Models.Gbm;

/// <summary>
/// LightGBM training parameters. Defaults favour stable, deterministic fits on noisy shortfall targets: shallow
/// trees, large leaves and a fixed seed with <c>deterministic=true</c> and row-wise histograms so the same data and
/// thread count give the same model byte for byte.
/// </summary>
public sealed record GbmParameters
{
    public GbmObjective Objective { get; init; } = GbmObjective.L2;

    /// <summary>Quantile level for <see cref="GbmObjective.Quantile"/>.</summary>
    public double Alpha { get; init; } = 0.95;

    public int Iterations { get; init; } = 200;

    public double LearningRate { get; init; } = 0.1;

    public int NumLeaves { get; init; } = 7;

    public int MinDataInLeaf { get; init; } = 200;

    public double LambdaL2 { get; init; } = 10;

    public double FeatureFraction { get; init; } = 1.0;

    public int MaxBin { get; init; } = 63;

    public int Seed { get; init; } = 17;

    public int Threads { get; init; } = 2;

    /// <summary>
    /// Columns LightGBM treats as categories (non-negative integer codes; NaN is missing), e.g. the overlay's
    /// strategy code: a split then separates any set of strategies, not only those on one side of a code.
    /// </summary>
    public IReadOnlyList<int> CategoricalFeatures { get; init; } = [];

    /// <summary>The parameter string LightGBM's C API takes (space-separated key=value).</summary>
    public string ToParameterString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(Objective == GbmObjective.L2 ? "objective=regression" : "objective=quantile");
        if (Objective == GbmObjective.Quantile)
        {
            sb.Append(inv, $" alpha={Alpha}");
        }
        sb.Append(inv, $" learning_rate={LearningRate} num_leaves={NumLeaves} min_data_in_leaf={MinDataInLeaf}");
        sb.Append(inv, $" lambda_l2={LambdaL2} feature_fraction={FeatureFraction} max_bin={MaxBin}");
        if (CategoricalFeatures.Count > 0)
        {
            sb.Append(" categorical_feature=").AppendJoin(',', CategoricalFeatures.Select(c => c.ToString(inv)));
        }
        sb.Append(inv, $" seed={Seed} num_threads={Threads} deterministic=true force_row_wise=true verbosity=-1");
        return sb.ToString();
    }
}
