namespace DmaSlip.Models.Gbm;

/// <summary>Training objective of a gradient-boosted model.</summary>
public enum GbmObjective
{
    /// <summary>Squared error: predicts the conditional mean.</summary>
    L2,
    /// <summary>Pinball loss at <see cref="GbmParameters.Alpha"/>: predicts the conditional α-quantile.</summary>
    Quantile,
}
