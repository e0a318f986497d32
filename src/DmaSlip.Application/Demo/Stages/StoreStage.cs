namespace DmaSlip.Application.Demo.Stages;

/// <summary>Creates the demo database and brings its schema up to date.</summary>
internal sealed class StoreStage : IDemoStage
{
    public string Name => "store";

    public string Run(DemoContext context)
    {
        var store = context.Store;
        return $"{context.DbPath} at schema versions {string.Join(", ", store.AppliedMigrations())}";
    }
}
