using System.Diagnostics;
using System.Runtime.InteropServices;
using DmaSlip.Models.Features;
using DmaSlip.Models.Gbm;
using DmaSlip.Models.Tests.Synthetic;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>models-fit [parents=1000000] [trees=100]</c>: the overlay's L2 booster (LightGBM native C API) against ML.NET
/// FastTree (L2) on the same synthetic storm day (planted uplift, ~40 features), same tree budget and leaf size.
/// Reports fit time and held-out accuracy (RMSE on the realized residual target and on the planted uplift) of both.
/// </summary>
internal static class ModelsFitBench
{
    private sealed class Row
    {
        // Sized at run time to OverlayFeatureSchema.Count (a fixed [VectorType(40)] broke when the schema grew).
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    public static int Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var trees = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100;
        var cols = OverlayFeatureSchema.Count;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");
        var sw = Stopwatch.StartNew();
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, n, 7001);
        // The target is the residual against the generator's own calm baseline (as the overlay sees it).
        var holdout = Math.Min(100_000, n / 10);
        var trainN = n - holdout;
        var x = new float[n * cols];
        var y = new float[n];
        var truth = new double[n];
        for (var i = 0; i < n; i++)
        {
            var p = day.Parents[i];
            for (var c = 0; c < cols; c++)
            {
                var v = p.Features[c];
                x[(i * cols) + c] = float.IsNaN(v) ? 0 : v;
            }
            truth[i] = day.TrueUplift[p.ParentId];
            y[i] = (float)(p.IsBps - CalmBaseline(p));
        }
        Console.WriteLine($"data: {n:N0} parents × {cols} features generated in {sw.Elapsed.TotalSeconds:F1} s");

        var leaves = 15;
        var minLeaf = 200;
        var lr = 0.1;
        sw.Restart();
        using var lgbm = GbmModel.Train(x.AsSpan(0, trainN * cols), cols, y.AsSpan(0, trainN),
            new GbmParameters { Iterations = trees, NumLeaves = leaves, MinDataInLeaf = minLeaf, LearningRate = lr, LambdaL2 = 0, MaxBin = 255, Threads = Threads() });
        var lgbmFit = sw.Elapsed.TotalSeconds;
        var lgbmPred = new double[holdout];
        lgbm.Predict(x.AsSpan(trainN * cols), lgbmPred, Threads());

        var ml = new MLContext(seed: 17);
        var rows = Enumerable.Range(0, trainN).Select(i => new Row { Features = x.AsSpan(i * cols, cols).ToArray(), Label = y[i] });
        sw.Restart();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, cols);
        var view = ml.Data.LoadFromEnumerable(rows, schema);
        var fastTree = ml.Regression.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeRegressionTrainer.Options
        {
            NumberOfLeaves = leaves, NumberOfTrees = trees, MinimumExampleCountPerLeaf = minLeaf, LearningRate = lr,
            MaximumBinCountPerFeature = 255, NumberOfThreads = Threads(),
        }).Fit(view);
        var ftFit = sw.Elapsed.TotalSeconds;
        var testView = ml.Data.LoadFromEnumerable(Enumerable.Range(trainN, holdout).Select(i => new Row { Features = x.AsSpan(i * cols, cols).ToArray(), Label = y[i] }), schema);
        var ftPred = ml.Data.CreateEnumerable<Prediction>(fastTree.Transform(testView), reuseRowObject: false).Select(p => (double)p.Score).ToArray();

        Report("LightGBM (native C API, L2)", lgbmFit, lgbmPred, y, truth, trainN);
        Report("ML.NET FastTree (L2)", ftFit, ftPred, y, truth, trainN);
        Console.WriteLine($"fit time ratio FastTree / LightGBM: {ftFit / lgbmFit:F2}");
        if (args.Contains("--full"))
        {
            // What `dmaslip fit` does per pool, end to end: baseline, labels, mean + q95 boosters with the validation
            // search and refit, matching; then scoring (with the calm counterfactuals of every non-calm parent).
            sw.Restart();
            var (model, report) = DmaSlip.Models.Pipeline.SlippageModel.Fit(day.Parents, new DmaSlip.Models.Overlay.OverlayOptions());
            var fullFit = sw.Elapsed.TotalSeconds;
            sw.Restart();
            using (model)
            {
                var est = model.Apply(day.Parents);
                var apply = sw.Elapsed.TotalSeconds;
                var storm = est.Where(e => day.InStorm[e.ParentId]).ToArray();
                Console.WriteLine(FormattableString.Invariant(
                    $"full SlippageModel.Fit: {fullFit:F1} s ({report.Parents:N0} parents, {report.CalmParents:N0} calm, mean trees {report.Overlay.MeanIterations}, q95 trees {report.Overlay.Q95Iterations}); Apply: {apply:F1} s; storm mean C_iommu {storm.Average(e => e.Attribution.IommuBps):F3} vs planted {storm.Average(e => day.TrueUplift[e.ParentId]):F3} bps"));
            }
        }
        return 0;
    }

    // The label is the realized residual IS − calm baseline (= planted uplift + noise), with the generator's own
    // baseline formula, so both learners get exactly the same target.
    private static double CalmBaseline(DmaSlip.Models.Pipeline.ParentRecord p)
    {
        var piCalm = 1 / (1 + Math.Exp(-(0.4 - (0.6 * Math.Log(1 + p.QueueAheadRatio)) - (0.3 * 40.0 / 1000))));
        var baseline = (p.HalfSpreadBps * (1 - (2 * piCalm))) + (0.5 * (1 - piCalm) * p.HalfSpreadBps) + (0.142 * p.SigmaDailyBps * Math.Pow(p.Participation, 0.6));
        // The generator's market-move terms (SyntheticDay: 0.5·M₁ + 0.3·M₂).
        return baseline + (0.5 * p.MarketMoveEarlyBps) + (0.3 * p.MarketMoveLateBps);
    }

    private static int Threads() =>
        int.TryParse(Environment.GetEnvironmentVariable("DMASLIP_BENCH_THREADS"), out var t) && t > 0 ? t : Environment.ProcessorCount;

    private static void Report(string name, double fitSeconds, double[] pred, float[] y, double[] truth, int offset)
    {
        double se = 0, seTruth = 0;
        for (var i = 0; i < pred.Length; i++)
        {
            se += (pred[i] - y[offset + i]) * (pred[i] - y[offset + i]);
            seTruth += (pred[i] - truth[offset + i]) * (pred[i] - truth[offset + i]);
        }
        Console.WriteLine($"{name}: fit {fitSeconds:F1} s, held-out RMSE vs realized residual {Math.Sqrt(se / pred.Length):F4} bps, vs planted uplift {Math.Sqrt(seTruth / pred.Length):F4} bps");
    }
}
