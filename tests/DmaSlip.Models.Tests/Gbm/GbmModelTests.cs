using DmaSlip.Models.Gbm;
using DmaSlip.Models.Native;

namespace DmaSlip.Models.Tests.Gbm;

public sealed class GbmModelTests
{
    private const int Cols = 3;

    private static (float[] X, float[] Y) Data(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * Cols];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var a = (float)rng.NextDouble();
            var b = (float)rng.NextDouble();
            var c = (float)rng.NextDouble();
            x[(i * Cols) + 0] = a;
            x[(i * Cols) + 1] = b;
            x[(i * Cols) + 2] = c;
            // The target depends on a and b only, plus unit-variance noise.
            y[i] = (float)((10 * a) + (b > 0.5 ? 5 : 0) + Gaussian(rng));
        }
        return (x, y);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void An_L2_model_learns_a_known_function()
    {
        var (x, y) = Data(4000, 1);
        using var model = GbmModel.Train(x, Cols, y, new GbmParameters { MinDataInLeaf = 20 });
        var (tx, ty) = Data(1000, 2);
        var pred = new double[ty.Length];
        model.Predict(tx, pred);
        var mse = pred.Select((p, i) => (p - ty[i]) * (p - ty[i])).Average();
        // Irreducible noise has variance 1; the target's own variance is ~14.6.
        Assert.InRange(mse, 0.8, 1.4);
    }

    [Fact]
    public void A_quantile_model_at_95_percent_covers_about_95_percent()
    {
        var (x, y) = Data(6000, 3);
        using var model = GbmModel.Train(x, Cols, y, new GbmParameters { Objective = GbmObjective.Quantile, Alpha = 0.95, MinDataInLeaf = 50 });
        var (tx, ty) = Data(4000, 4);
        var pred = new double[ty.Length];
        model.Predict(tx, pred);
        var coverage = pred.Select((p, i) => ty[i] <= p ? 1.0 : 0.0).Average();
        Assert.InRange(coverage, 0.92, 0.975);
    }

    [Fact]
    public void Shap_contributions_sum_to_the_prediction_and_ignore_an_unused_feature()
    {
        var (x, y) = Data(3000, 5);
        using var model = GbmModel.Train(x, Cols, y, new GbmParameters { MinDataInLeaf = 20 });
        var rows = 200;
        var tx = x.AsSpan(0, rows * Cols).ToArray();
        var pred = new double[rows];
        var contrib = new double[rows * (Cols + 1)];
        model.Predict(tx, pred);
        model.PredictContributions(tx, contrib);
        double unused = 0, used = 0;
        for (var i = 0; i < rows; i++)
        {
            var row = contrib.AsSpan(i * (Cols + 1), Cols + 1);
            var sum = 0.0;
            foreach (var v in row)
            {
                sum += v;
            }
            Assert.Equal(pred[i], sum, 6);
            used += Math.Abs(row[0]);
            unused += Math.Abs(row[2]);
        }
        Assert.True(unused < 0.1 * used, $"noise feature got {unused:F2} of SHAP mass vs {used:F2}");
    }

    [Fact]
    public void Saved_model_text_restores_identical_predictions()
    {
        var (x, y) = Data(2000, 6);
        using var model = GbmModel.Train(x, Cols, y, new GbmParameters { Iterations = 30, MinDataInLeaf = 20 });
        var text = model.Save();
        Assert.StartsWith("tree", text, StringComparison.Ordinal);
        using var restored = GbmModel.Load(text);
        Assert.Equal(Cols, restored.FeatureCount);
        Assert.Equal(30, restored.Iterations);
        var a = new double[y.Length];
        var b = new double[y.Length];
        model.Predict(x, a);
        restored.Predict(x, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Same_data_and_seed_give_byte_identical_models()
    {
        var (x, y) = Data(2000, 7);
        var p = new GbmParameters { Iterations = 40, FeatureFraction = 0.8, MinDataInLeaf = 20 };
        using var m1 = GbmModel.Train(x, Cols, y, p);
        using var m2 = GbmModel.Train(x, Cols, y, p);
        Assert.Equal(m1.Save(), m2.Save());
    }

    [Fact]
    public void A_native_failure_surfaces_lightgbms_own_message()
    {
        var ex = Assert.Throws<LightGbmException>(() => GbmModel.Load("this is not a model"));
        Assert.Contains("LGBM_BoosterLoadModelFromString", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length > "LGBM_BoosterLoadModelFromString failed (-1): ".Length + 3, ex.Message);
    }

    [Fact]
    public void A_bad_parameter_is_reported_by_lightgbm_not_swallowed()
    {
        var (x, y) = Data(200, 8);
        var ex = Assert.Throws<LightGbmException>(() => GbmModel.Train(x, Cols, y, new GbmParameters { NumLeaves = 1 }));
        Assert.Contains("num_leaves", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_model_refuses_to_predict()
    {
        var (x, y) = Data(300, 9);
        var model = GbmModel.Train(x, Cols, y, new GbmParameters { Iterations = 5, MinDataInLeaf = 20 });
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict(x, new double[y.Length]));
    }

    [Fact]
    public void Mismatched_shapes_are_rejected_before_reaching_native_code()
    {
        Assert.Throws<ArgumentException>(() => GbmModel.Train(new float[10], Cols, new float[3], new GbmParameters()));
    }
}
