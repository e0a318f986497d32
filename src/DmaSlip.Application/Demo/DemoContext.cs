using DmaSlip.Ingest;
using DmaSlip.Reports.Model;
using DmaSlip.Storage;

namespace DmaSlip.Application.Demo;

/// <summary>What the demo's stages share: the output folder, the seed, the store, and paths later stages need.</summary>
internal sealed class DemoContext(string outDir, int seed) : IDisposable
{
    private DmaSlipStore? _store;

    public string OutDir { get; } = Path.GetFullPath(outDir);

    public int Seed { get; } = seed;

    public string DbPath => Path.Combine(OutDir, "dmaslip.duckdb");

    public DmaSlipStore Store => _store ??= DmaSlipStore.Open(DbPath);

    /// <summary>
    /// How the ingest stage ingests (the CLI passes one with a progress bar); default: <see cref="Ingest.IngestRunner"/>
    /// without progress.
    /// </summary>
    public Func<DmaSlipStore, IReadOnlyList<string>, IngestOptions, IReadOnlyList<FileResult>> Ingest { get; init; } =
        static (store, inputs, options) => Application.Ingest.IngestRunner.Run(store, inputs, options);

    /// <summary>The simulator's output folder, once the simulate stage has run.</summary>
    public string? SimulationDir { get; set; }

    /// <summary>The HTML report, once the report stage has run.</summary>
    public string? ReportPath { get; set; }

    /// <summary>The fit stage's summary (its C_iommu estimate and truth block), once it has run.</summary>
    public Modeling.FitSummary? Fit { get; set; }

    /// <summary>The report's data, once the report stage has run (the CLI prints its headline tables).</summary>
    public ReportData? Report { get; set; }

    /// <summary>
    /// The drills, started in the background by <see cref="DemoPipeline.StartBackground"/> (they simulate their own
    /// days and need nothing of the main pipeline); the drills stage waits for them.
    /// </summary>
    public Task<IReadOnlyList<Drills.DrillResult>>? DrillsInFlight { get; set; }

    public void Dispose() => _store?.Dispose();
}
