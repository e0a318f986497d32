using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Host;

/// <summary>One simulated host: its inventory row, its pool's parameters and the storm windows it will suffer.</summary>
internal sealed record HostSetup(int Index, HostInfo Info, PoolSpec Pool, IReadOnlyList<StormWindow> Storms)
{
    public string Name => Info.Host;

    public IommuMode Mode => Info.IommuMode;

    public int Queues => Pool.Queues;

    /// <summary>CPU serving queue q: the NIC's local cores, or the other socket's when misplaced (cores 0–15 node 0, 16–31 node 1).</summary>
    public int CpuOf(int q) => (Pool.NumaMisplaced ? 1 - Math.Min(Info.NumaNode, 1) : Math.Min(Info.NumaNode, 1)) * 16 + 2 + q;
}

/// <summary>A storm window on one host, in ms from the session start, with its intensity.</summary>
internal readonly record struct StormWindow(int StartMs, int EndMs, double ChurnShare, double TurnoverMultiplier);
