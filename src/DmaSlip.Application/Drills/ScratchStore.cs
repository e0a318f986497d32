using DmaSlip.Application.Analysis;
using DmaSlip.Application.Ingest;
using DmaSlip.Core.Features;
using DmaSlip.Ingest;
using DmaSlip.Storage;

namespace DmaSlip.Application.Drills;

/// <summary>A drill's scratch store: a recorded folder read the way a user's data is read (ingest, then features).</summary>
internal static class ScratchStore
{
    /// <summary>
    /// A fresh store at <paramref name="db"/> holding <paramref name="dir"/> ingested (truth/ included when present) with
    /// its host and exec frames built; a file ingest refuses ends the drill with an <see cref="InputException"/>.
    /// </summary>
    public static DmaSlipStore Ingested(string dir, string db)
    {
        File.Delete(db);
        var store = DmaSlipStore.Open(db);
        try
        {
            var results = IngestRunner.Run(store, [Path.GetFullPath(dir)], new IngestOptions());
            if (results.FirstOrDefault(r => r.Error is not null) is { } failed)
            {
                throw new InputException($"recording '{dir}': {failed.Path}: {failed.Error}");
            }
            FeatureRunner.Run(store, null, null, HostFrameOptions.Default, ExecFrameOptions.Default);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
