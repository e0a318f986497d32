using System.Diagnostics;
using System.Runtime.InteropServices;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>models-eval [parents=20000] [seeds=5]</c>: the acceptance evaluation of the slippage stack. For each seed pair
/// (fit day, held-out day), fits on one day and scores the other: storm mean-uplift relative error and q95 coverage,
/// calm mean |C_iommu|, venue-shock C_iommu share of the shock's realized uplift.
/// </summary>
internal static class ModelsEvalBench
{
    public static int Run(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var seeds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; {n:N0} parents per day");
        Console.WriteLine("scenario,fit_seed,eval_seed,fit_s,storm_true_bps,storm_model_bps,rel_error,q95_coverage,calm_mean_abs_c_bps,venue_uplift_bps,venue_c_bps,venue_share");
        var failures = 0;
        for (var k = 0; k < seeds; k++)
        {
            int fitSeed = 9000 + (2 * k), evalSeed = 9001 + (2 * k);
            foreach (var scenario in new[] { SyntheticScenario.Storm, SyntheticScenario.Calm, SyntheticScenario.VenueShock })
            {
                var sw = Stopwatch.StartNew();
                var (model, _) = SlippageModel.Fit(SyntheticDay.Generate(scenario, n, fitSeed).Parents, new OverlayOptions());
                var fit = sw.Elapsed.TotalSeconds;
                using (model)
                {
                    var test = SyntheticDay.Generate(scenario, n, evalSeed, dayOffsetNs: 86_400L * 1_000_000_000);
                    var est = model.Apply(test.Parents);
                    var idx = Enumerable.Range(0, est.Count).ToArray();
                    var storm = idx.Where(i => test.InStorm[test.Parents[i].ParentId]).ToArray();
                    var shock = idx.Where(i => test.InShock[test.Parents[i].ParentId]).ToArray();
                    var quiet = idx.Where(i => !test.InStorm[test.Parents[i].ParentId] && !test.InShock[test.Parents[i].ParentId]).ToArray();
                    double trueMean = storm.Length == 0 ? 0 : storm.Average(i => test.TrueUplift[test.Parents[i].ParentId]);
                    double modelMean = storm.Length == 0 ? 0 : storm.Average(i => est[i].Attribution.IommuBps);
                    var rel = storm.Length == 0 ? double.NaN : Math.Abs(modelMean - trueMean) / trueMean;
                    var coverage = idx.Average(i => test.Parents[i].IsBps - est[i].BaselineBps <= est[i].OverlayQ95Bps ? 1.0 : 0.0);
                    var calmAbs = quiet.Average(i => Math.Abs(est[i].Attribution.IommuBps));
                    double Resid(int i) => test.Parents[i].IsBps - est[i].BaselineBps;
                    var venueUplift = shock.Length == 0 ? double.NaN : shock.Average(Resid) - quiet.Average(Resid);
                    var venueC = shock.Length == 0 ? double.NaN : shock.Average(i => est[i].Attribution.IommuBps);
                    var share = shock.Length == 0 ? double.NaN : Math.Abs(venueC) / venueUplift;
                    Console.WriteLine(FormattableString.Invariant(
                        $"{scenario},{fitSeed},{evalSeed},{fit:F1},{trueMean:F3},{modelMean:F3},{rel:F3},{coverage:F4},{calmAbs:F3},{venueUplift:F3},{venueC:F3},{share:F3}"));
                    var ok = scenario switch
                    {
                        SyntheticScenario.Storm => rel <= 0.15 && coverage is >= 0.93 and <= 0.97,
                        SyntheticScenario.Calm => calmAbs <= 0.2 && coverage is >= 0.93 and <= 0.97,
                        _ => share <= 0.10,
                    };
                    failures += ok ? 0 : 1;
                }
            }
        }
        Console.WriteLine($"acceptance: {(failures == 0 ? "all hold" : $"{failures} scenario runs outside the bounds")}");
        return failures == 0 ? 0 : 1;
    }
}
