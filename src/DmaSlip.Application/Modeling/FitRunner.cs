using DmaSlip.Core.Domain;
using DmaSlip.Models.Artifacts;
using DmaSlip.Models.Features;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Uncertainty;
using DmaSlip.Storage;

namespace DmaSlip.Application.Modeling;

/// <summary>
/// <c>dmaslip fit</c>: one slippage stack per host pool. Fits (or, with <c>--if-stale</c>, reuses a model whose hosts'
/// kernel / driver / driver version / IOMMU mode are unchanged), stores versioned artifacts + a <c>models</c> row,
/// writes C_iommu and its three terms, the net classical terms and IS_hat_baseline into <c>parent_outcomes</c>, and
/// scores against the simulator's truth when <c>truth_parent</c> holds rows.
/// </summary>
internal static partial class FitRunner
{
    /// <summary>A pool with fewer attributed parents gets no model (its C_iommu terms stay null).</summary>
    public const int MinParentsPerPool = 60;

    /// <param name="fromDir">
    /// Apply the models in this folder (fitted elsewhere, e.g. on an earlier day) instead of fitting: per pool the
    /// highest version found; nothing is refit or stored, a pool without a model there gets no estimates, and a model
    /// whose hosts' configuration differs is applied but listed as stale.
    /// </param>
    public static FitSummary Run(DmaSlipStore store, string modelsDir, bool ifStale, long nowNs, OverlayOptions options, string? fromDir = null) =>
        Fit(store, modelsDir, ifStale, nowNs, options, fromDir).Summary;

    /// <summary><see cref="Run"/>, keeping each pool's parents and attribution for means over any subset (<see cref="FitResult.MeanOver"/>).</summary>
    public static FitResult Fit(DmaSlipStore store, string modelsDir, bool ifStale, long nowNs, OverlayOptions options, string? fromDir = null)
    {
        var loaded = ParentRecordLoader.Load(store);
        var usable = loaded.Records.Where(r => double.IsFinite(r.HalfSpreadBps) && double.IsFinite(r.IsBps)).ToList();
        var hosts = store.Query<HostInfo>().ToList();
        var existing = fromDir is null ? LatestModels(store) : ModelsIn(fromDir);
        var stale = new List<StaleModel>();
        var models = new List<FitModel>();
        var reports = new List<(string Scope, FitReport Report)>();
        var estimates = new Dictionary<string, ParentEstimate>(StringComparer.Ordinal);
        var pools = new List<(string Pool, List<ParentRecord> Parents, PoolAttribution Attribution)>();
        foreach (var pool in usable.GroupBy(r => r.Pool, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var parents = pool.ToList();
            var current = HostConfig.Current(hosts.Where(h => string.Equals(h.Pool, pool.Key, StringComparison.Ordinal)));
            existing.TryGetValue(pool.Key, out var previous);
            IReadOnlyList<string> reasons = previous is null ? ["no model yet"] : previous.Metadata is null
                ? ["artifact files missing"] : ModelStaleness.Reasons(previous.Metadata.Hosts, current);
            if (previous?.Metadata is not null && reasons.Count > 0)
            {
                stale.Add(new StaleModel(previous.Row.ModelId, pool.Key, reasons));
            }
            SlippageModel model;
            if (fromDir is not null && previous?.Metadata is null)
            {
                continue;
            }
            if ((fromDir is not null || (ifStale && reasons.Count == 0)) && previous?.Metadata is not null)
            {
                model = ModelFiles.Load(previous.Row.Path).Model;
                models.Add(new FitModel(previous.Row.ModelId, pool.Key, previous.Metadata.Version, false, previous.Metadata.Parents, previous.Row.Path));
            }
            else if (parents.Count < MinParentsPerPool)
            {
                continue;
            }
            else
            {
                (model, var report) = SlippageModel.Fit(parents, options);
                reports.Add((pool.Key, report));
                var version = (previous?.Metadata?.Version ?? 0) + 1;
                var id = ModelMetadata.IdOf(pool.Key, version);
                var dir = Path.Combine(modelsDir, id);
                var metadata = new ModelMetadata(id, pool.Key, version, nowNs, parents.Min(p => p.ArrivalNs), parents.Max(p => p.EndNs), parents.Count,
                    current, OverlayFeatureSchema.Features.Select(f => f.Name).ToArray(), Metrics(report));
                ModelFiles.Save(dir, model, metadata);
                store.Insert([new ModelArtifact(id, ModelMetadata.Kind, nowNs, metadata.DataFromNs, metadata.DataToNs,
                    System.Text.Json.JsonSerializer.Serialize(current.ToDictionary(c => $"{c.Host}/{c.Device}", c => c.Fingerprint)),
                    System.Text.Json.JsonSerializer.Serialize(metadata.Metrics), dir)]);
                models.Add(new FitModel(id, pool.Key, version, true, parents.Count, dir));
            }
            using (model)
            {
                var attribution = model.Attribute(parents);
                pools.Add((pool.Key, parents, attribution));
                foreach (var e in attribution.Estimates)
                {
                    estimates[e.ParentId] = e;
                }
            }
        }
        WriteOutcomes(store, loaded.Outcomes, estimates);
        var cIommu = WriteIommuEstimates(store, pools, nowNs);
        var truth = store.Count("truth_parent") > 0 ? Truth(store, pools, estimates, loaded.Outcomes) : null;
        return new FitResult(Summarize(reports, truth, stale, models, loaded.Outcomes.Count - estimates.Count, cIommu), pools);
    }

    private sealed record Existing(ModelArtifact Row, ModelMetadata? Metadata);

    private static Dictionary<string, Existing> LatestModels(DmaSlipStore store)
    {
        var result = new Dictionary<string, Existing>(StringComparer.Ordinal);
        foreach (var row in store.Query<ModelArtifact>("kind = $k", "created_ns, model_id", new Dictionary<string, object?> { ["k"] = ModelMetadata.Kind }))
        {
            ModelMetadata? meta = null;
            try
            {
                meta = ModelFiles.ReadMetadata(row.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                // Missing or unreadable files: the row stays listed and the scope gets refit.
            }
            KeepNewest(result, meta?.Scope ?? ScopeOf(row.ModelId), new Existing(row, meta));
        }
        return result;
    }

    /// <summary>The newest model per scope among the artifact folders directly under <paramref name="dir"/>.</summary>
    private static Dictionary<string, Existing> ModelsIn(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new UsageException($"--from: no models folder {dir}");
        }
        var result = new Dictionary<string, Existing>(StringComparer.Ordinal);
        foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            ModelMetadata meta;
            try
            {
                meta = ModelFiles.ReadMetadata(sub);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                continue; // not a (complete) model folder
            }
            KeepNewest(result, meta.Scope, new Existing(new ModelArtifact(meta.ModelId, ModelMetadata.Kind, meta.CreatedNs, meta.DataFromNs, meta.DataToNs, "{}", "{}", sub), meta));
        }
        return result;
    }

    /// <summary>Keeps <paramref name="candidate"/> for <paramref name="scope"/> unless a higher version is already kept (ties: the later one).</summary>
    private static void KeepNewest(Dictionary<string, Existing> result, string scope, Existing candidate)
    {
        if (!result.TryGetValue(scope, out var have) || (candidate.Metadata?.Version ?? 0) >= (have.Metadata?.Version ?? 0))
        {
            result[scope] = candidate;
        }
    }

    private static string ScopeOf(string modelId)
    {
        var s = modelId.StartsWith(ModelMetadata.Kind + "-", StringComparison.Ordinal) ? modelId[(ModelMetadata.Kind.Length + 1)..] : modelId;
        var v = s.LastIndexOf("-v", StringComparison.Ordinal);
        return v > 0 ? s[..v] : s;
    }

    // Non-finite metrics (no validation rows, no matched strata) are left out: the row and JSON carry numbers only.
    private static Dictionary<string, double> Metrics(FitReport r) => AllMetrics(r).Where(kv => double.IsFinite(kv.Value))
        .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static Dictionary<string, double> AllMetrics(FitReport r) => new(StringComparer.Ordinal)
    {
        ["rmse"] = r.Overlay.Rmse,
        ["mae"] = r.Overlay.Mae,
        ["constant_rmse"] = r.Overlay.ConstantRmse,
        ["pinball"] = r.Overlay.Pinball,
        ["coverage"] = r.Overlay.Coverage,
        ["slope"] = r.Overlay.Slope,
        ["matched_share"] = r.Matching.MatchedShare,
        ["max_smd"] = r.Matching.MaxSmdAfter,
        ["att_bps"] = r.Matching.AttBps,
        ["calm_parents"] = r.CalmParents,
        ["pressured_parents"] = r.PressuredParents,
    };

    private static void WriteOutcomes(DmaSlipStore store, Dictionary<string, ParentOutcome> outcomes, Dictionary<string, ParentEstimate> estimates)
    {
        var updated = estimates.Values.Select(e =>
        {
            var o = outcomes[e.ParentId];
            var a = e.Attribution;
            if (!e.HasIommu)
            {
                // No calm parent to compare with: C_iommu is unknown (null, method "none"), the classical terms gross.
                return o with
                {
                    CDelayBps = a.DelayBps, CImpactBps = a.ImpactBps, CMissBps = a.MissBps, CIommuBps = null, CDmaJitterBps = null,
                    CServiceBurstBps = null, CQueueDecayBps = null, BaselineIsBps = e.BaselineBps, DeltaIsMeanBps = e.OverlayMeanBps,
                    DeltaIsQ95Bps = e.OverlayQ95Bps, IsHatFinalBps = e.FinalBps, IommuMethod = IommuMethods.Name(e.Method),
                    CIommuLowBps = null, CIommuHighBps = null,
                };
            }
            return o with
            {
                CDelayBps = a.DelayBps, CImpactBps = a.ImpactBps, CMissBps = a.MissBps, CIommuBps = a.IommuBps,
                CDmaJitterBps = a.DmaJitterBps, CServiceBurstBps = a.ServiceBurstBps, CQueueDecayBps = a.QueueDecayBps,
                BaselineIsBps = e.BaselineBps, DeltaIsMeanBps = e.OverlayMeanBps, DeltaIsQ95Bps = e.OverlayQ95Bps, IsHatFinalBps = e.FinalBps,
                IommuMethod = IommuMethods.Name(e.Method), CIommuLowBps = e.IommuLowBps, CIommuHighBps = e.IommuHighBps,
            };
        }).ToList();
        if (updated.Count == 0)
        {
            return;
        }
        store.InTransaction(() =>
        {
            store.Execute("CREATE TEMP TABLE IF NOT EXISTS fit_ids (parent_id VARCHAR)");
            store.Execute("DELETE FROM fit_ids");
            foreach (var chunk in updated.Select(u => u.ParentId).Chunk(500))
            {
                var p = new Dictionary<string, object?>();
                var values = string.Join(",", chunk.Select((id, i) =>
                {
                    p[$"p{i}"] = id;
                    return $"(${"p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
                }));
                store.Execute($"INSERT INTO fit_ids VALUES {values}", p);
            }
            store.Execute("DELETE FROM parent_outcomes WHERE parent_id IN (SELECT parent_id FROM fit_ids)");
            store.Insert(updated);
        });
    }
}
