namespace DmaSlip.Application.Demo.Stages;

/// <summary>Exports every table to Parquet (partitioned by date and pool) beside the database.</summary>
internal sealed class ExportStage : IDemoStage
{
    public string Name => "export";

    public string Run(DemoContext context)
    {
        var dir = Path.Combine(context.OutDir, "parquet");
        var tables = context.Store.ExportParquet(dir);
        return $"{tables.Sum(t => t.Rows):N0} rows from {tables.Count} tables to {dir}";
    }
}
