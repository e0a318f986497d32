using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Control;

/// <summary>The regime signals of one host for the window ending at <see cref="TsNs"/>.</summary>
internal readonly record struct HostSignalPoint(string Host, long TsNs, RegimeSignals Signals);

/// <summary>Where <c>controller replay</c> gets a host's DFI/DJS/PSO series from (stored host frames).</summary>
internal interface IHostSignalSource
{
    /// <summary>Hosts that have frames (optionally just <paramref name="host"/>).</summary>
    IReadOnlyList<string> Hosts(DmaSlipStore store, string? host);

    /// <summary>The host's signals, one point per frame window, in time order.</summary>
    IEnumerable<HostSignalPoint> Read(DmaSlipStore store, string host);
}
