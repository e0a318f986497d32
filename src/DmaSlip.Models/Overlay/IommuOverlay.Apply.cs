using DmaSlip.Models.Features;
using DmaSlip.Models.Gbm;

namespace DmaSlip.Models.Overlay;

public sealed partial class IommuOverlay
{
    /// <summary>Estimates for each row of <paramref name="x"/> (row-major × <see cref="OverlayFeatureSchema.Count"/>).</summary>
    public OverlayEstimate[] Apply(float[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var cols = OverlayFeatureSchema.Count;
        var rows = x.Length / cols;
        var mean = new double[rows];
        var q95 = new double[rows];
        if (_mean is null)
        {
            Array.Fill(mean, ConstantMean);
        }
        else
        {
            _mean.Predict(x, mean);
            for (var r = 0; r < rows; r++)
            {
                mean[r] = ConstantMean + (Slope * (mean[r] - ConstantMean));
            }
        }
        if (_q95 is null)
        {
            Array.Fill(q95, ConstantQ95);
        }
        else
        {
            _q95.Predict(x, q95);
        }
        var families = _mean is null ? new double[rows * 3] : FamilySums(_mean, x, rows);
        var result = new OverlayEstimate[rows];
        for (var r = 0; r < rows; r++)
        {
            var centered = _mean is null;
            result[r] = new OverlayEstimate(
                mean[r],
                q95[r],
                centered ? 0 : Slope * (families[r * 3] - CalmFamilyMean[0]),
                centered ? 0 : Slope * (families[(r * 3) + 1] - CalmFamilyMean[1]),
                centered ? 0 : Slope * (families[(r * 3) + 2] - CalmFamilyMean[2]));
        }
        return result;
    }

    /// <summary>Per row, SHAP mass of the dma-jitter, service-burst and queue-decay features (market features excluded).</summary>
    internal static double[] FamilySums(GbmModel model, float[] x, int rows)
    {
        var cols = OverlayFeatureSchema.Count;
        var contrib = new double[rows * (cols + 1)];
        model.PredictContributions(x, contrib);
        var sums = new double[rows * 3];
        var features = OverlayFeatureSchema.Features;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var family = features[c].Family;
                if (family != FeatureFamily.Market)
                {
                    sums[(r * 3) + (int)family] += contrib[(r * (cols + 1)) + c];
                }
            }
        }
        return sums;
    }

    /// <summary>The boosters' model texts (null where a constant was chosen), for the artifact files.</summary>
    public (string? Mean, string? Q95) ModelTexts() => (_mean?.Save(), _q95?.Save());

    /// <summary>Restores an overlay from its artifact parts.</summary>
    public static IommuOverlay Load(
        string? meanText, double constantMean, double slope, string? q95Text, double constantQ95, double[] calmFamilyMean, OverlayMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(calmFamilyMean);
        var mean = meanText is null ? null : GbmModel.Load(meanText);
        try
        {
            var q95 = q95Text is null ? null : GbmModel.Load(q95Text);
            return new IommuOverlay(mean, constantMean, slope, q95, constantQ95, calmFamilyMean, metrics);
        }
        catch
        {
            mean?.Dispose();
            throw;
        }
    }
}
