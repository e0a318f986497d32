namespace DmaSlip.Simulation.Host;

/// <summary>Sees every 1 ms step of one host (writers, frame emitters). Called on the host's thread only.</summary>
internal interface IHostObserver
{
    void OnStep(HostModel model, int ms, long tsNs);

    void Complete(HostModel model, long endNs);
}
