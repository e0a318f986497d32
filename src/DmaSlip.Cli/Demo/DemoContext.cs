using DmaSlip.Cli.Internal;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Demo;

/// <summary>What the demo's stages share: the output folder, the seed, the store, and paths later stages need.</summary>
internal sealed class DemoContext(string outDir, int seed, Output output) : IDisposable
{
    private DmaSlipStore? _store;

    public string OutDir { get; } = Path.GetFullPath(outDir);

    public int Seed { get; } = seed;

    public Output Output { get; } = output;

    public string DbPath => Path.Combine(OutDir, "dmaslip.duckdb");

    public DmaSlipStore Store => _store ??= DmaSlipStore.Open(DbPath);

    /// <summary>The simulator's output folder, once the simulate stage has run.</summary>
    public string? SimulationDir { get; set; }

    /// <summary>The HTML report, once the report stage has run.</summary>
    public string? ReportPath { get; set; }

    /// <summary>The fit stage's summary (its C_iommu estimate and truth block), once it has run.</summary>
    public DmaSlip.Application.Modeling.FitSummary? Fit { get; set; }

    public void Dispose() => _store?.Dispose();
}
