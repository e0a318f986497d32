using System.Text;
using DmaSlip.Models.Native;

namespace DmaSlip.Models.Gbm;

/// <summary>
/// A trained LightGBM booster. Train with <see cref="Train"/>, or restore with <see cref="Load"/> from the text
/// LightGBM writes (<see cref="Save"/>). Feature matrices are row-major <c>float</c> (rows × features).
/// </summary>
public sealed unsafe class GbmModel : IDisposable
{
    private readonly BoosterSafeHandle _booster;

    static GbmModel() => OpenMpEnvironment.Ensure();

    private GbmModel(BoosterSafeHandle booster, int features, int iterations)
    {
        _booster = booster;
        FeatureCount = features;
        Iterations = iterations;
    }

    public int FeatureCount { get; }

    public int Iterations { get; }

    /// <summary>Trains a booster on <paramref name="features"/> (row-major, rows × cols) and <paramref name="labels"/>.</summary>
    public static GbmModel Train(ReadOnlySpan<float> features, int cols, ReadOnlySpan<float> labels, GbmParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (labels.Length == 0 || features.Length != labels.Length * cols)
        {
            throw new ArgumentException($"feature matrix has {features.Length} values, expected {labels.Length} rows × {cols}");
        }
        var paramString = parameters.ToParameterString();
        nint raw;
        fixed (float* x = features)
        {
            LightGbmException.Check(
                LightGbmNative.DatasetCreateFromMat(x, LightGbmNative.DtypeFloat32, labels.Length, cols, 1, paramString, 0, out raw),
                "LGBM_DatasetCreateFromMat");
        }
        using var dataset = new DatasetSafeHandle(raw);
        fixed (float* y = labels)
        {
            LightGbmException.Check(
                LightGbmNative.DatasetSetField(dataset.DangerousGetHandle(), "label", y, labels.Length, LightGbmNative.DtypeFloat32),
                "LGBM_DatasetSetField(label)");
        }
        LightGbmException.Check(LightGbmNative.BoosterCreate(dataset.DangerousGetHandle(), paramString, out var b), "LGBM_BoosterCreate");
        var booster = new BoosterSafeHandle(b);
        try
        {
            var done = 0;
            for (var i = 0; i < parameters.Iterations && done == 0; i++)
            {
                LightGbmException.Check(LightGbmNative.BoosterUpdateOneIter(b, out done), "LGBM_BoosterUpdateOneIter");
            }
            LightGbmException.Check(LightGbmNative.BoosterGetCurrentIteration(b, out var iterations), "LGBM_BoosterGetCurrentIteration");
            return new GbmModel(booster, cols, iterations);
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>Restores a booster from LightGBM's model text.</summary>
    public static GbmModel Load(string modelText)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelText);
        LightGbmException.Check(LightGbmNative.BoosterLoadModelFromString(modelText, out var iterations, out var b), "LGBM_BoosterLoadModelFromString");
        var booster = new BoosterSafeHandle(b);
        try
        {
            LightGbmException.Check(LightGbmNative.BoosterGetNumFeature(b, out var features), "LGBM_BoosterGetNumFeature");
            return new GbmModel(booster, features, iterations);
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>LightGBM's model text (all iterations); <see cref="Load"/> restores an identical predictor.</summary>
    public string Save()
    {
        var h = Handle();
        LightGbmException.Check(LightGbmNative.BoosterSaveModelToString(h, 0, -1, 0, 0, out var needed, null), "LGBM_BoosterSaveModelToString");
        var buffer = new byte[needed];
        fixed (byte* p = buffer)
        {
            LightGbmException.Check(LightGbmNative.BoosterSaveModelToString(h, 0, -1, 0, needed, out needed, p), "LGBM_BoosterSaveModelToString");
        }
        // The C string is NUL-terminated inside the buffer.
        var length = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }

    /// <summary>Predictions for each row of <paramref name="features"/> into <paramref name="output"/> (length = rows).</summary>
    /// <remarks><paramref name="iterations"/> ≤ 0 uses every tree; k uses the first k (for early stopping).</remarks>
    public void Predict(ReadOnlySpan<float> features, Span<double> output, int threads = 2, int iterations = -1)
    {
        var rows = Rows(features);
        if (output.Length != rows)
        {
            throw new ArgumentException($"output has {output.Length} slots for {rows} rows");
        }
        Run(features, rows, LightGbmNative.PredictNormal, output, threads, iterations);
    }

    /// <summary>
    /// SHAP contributions (TreeSHAP, LightGBM's <c>C_API_PREDICT_CONTRIB</c>): per row, one value per feature followed
    /// by the expected value; each row sums to the raw prediction. <paramref name="output"/> length = rows × (cols + 1).
    /// </summary>
    public void PredictContributions(ReadOnlySpan<float> features, Span<double> output, int threads = 2)
    {
        var rows = Rows(features);
        if (output.Length != rows * (FeatureCount + 1))
        {
            throw new ArgumentException($"output has {output.Length} slots, expected {rows} × {FeatureCount + 1}");
        }
        Run(features, rows, LightGbmNative.PredictContrib, output, threads, -1);
    }

    public void Dispose() => _booster.Dispose();

    private int Rows(ReadOnlySpan<float> features)
    {
        if (features.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"feature matrix length {features.Length} is not a multiple of {FeatureCount} features");
        }
        return features.Length / FeatureCount;
    }

    private void Run(ReadOnlySpan<float> features, int rows, int predictType, Span<double> output, int threads, int iterations)
    {
        if (rows == 0)
        {
            return;
        }
        var h = Handle();
        fixed (float* x = features)
        fixed (double* o = output)
        {
            LightGbmException.Check(
                LightGbmNative.BoosterPredictForMat(
                    h, x, LightGbmNative.DtypeFloat32, rows, FeatureCount, 1, predictType, 0, iterations <= 0 ? -1 : iterations, $"num_threads={threads}", out var written, o),
                "LGBM_BoosterPredictForMat");
            if (written != output.Length)
            {
                throw new LightGbmException($"LGBM_BoosterPredictForMat wrote {written} values, expected {output.Length}");
            }
        }
    }

    private nint Handle()
    {
        ObjectDisposedException.ThrowIf(_booster.IsClosed, this);
        return _booster.DangerousGetHandle();
    }
}
