using System.CommandLine;
using System.Globalization;
using DmaSlip.Application;
using DmaSlip.Application.Ingest;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Live;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary>
/// <c>dmaslip collect</c>: samples this host's live sources for a while and stores counters, host frames (the counter
/// path of <c>features</c>, one window per interval, with the inputs of each) and the host's config row.
/// </summary>
internal static class CollectCommand
{
    public static Command Create()
    {
        var interval = new Option<int>("--interval") { Description = "Sampling interval in ms (also the frame window)", DefaultValueFactory = _ => 1000 };
        var duration = new Option<double>("--duration") { Description = "How long to sample, in seconds", DefaultValueFactory = _ => 5 };
        var host = new Option<string?>("--host") { Description = "Host name to store under (default: this machine's name)" };
        var pool = new Option<string?>("--pool") { Description = "Pool this host belongs to (hosts.pool; default: its stored pool, else empty)" };
        var command = new Command("collect", "Sample this host's procfs/sysfs/ethtool/perf/debugfs counters into counters, host frames and its hosts row; lists unavailable sources with the reason and the privilege they need.")
        {
            interval, duration, host, pool,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var ms = parse.GetValue(interval);
            var seconds = parse.GetValue(duration);
            if (ms < 10 || ms > 3_600_000 || seconds <= 0 || seconds > 86_400)
            {
                throw new UsageException("--interval must be 10..3600000 ms and --duration 0..86400 s");
            }
            var name = parse.GetValue(host) ?? Environment.MachineName;
            using var sampler = new LiveSampler(name, TimeProvider.System);
            if (!sampler.Sources.Any(s => s.Available))
            {
                throw new InputException("no live source is readable on this host: " + string.Join("; ", sampler.Sources.Select(s => $"{s.Source}: {s.Detail}")));
            }
            using var store = DmaSlipStore.Open(parse.GetValue(CommonOptions.Db)!);
            var result = CollectRunner.Run(store, sampler, name, parse.GetValue(pool), ms, seconds);
            Report(output, name, sampler.Sources, result);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Report(Output output, string host, IReadOnlyList<SourceStatus> sources, CollectResult r)
    {
        if (output.Json)
        {
            output.WriteJson(new
            {
                host,
                sources = sources.Select(s => new { source = s.Source, available = s.Available, detail = s.Detail, privilege = s.Privilege }),
                windows = r.Windows,
                late_reads = r.LateReads,
                counters = r.Counters,
                frames = r.Frames.Count,
                frame_sources = r.Sources.ToString(),
                frames_without_flush_rate = r.Frames.Count(f => f.FlushRate is null),
                no_frames_reason = r.NoFramesReason,
                frame_streams = r.Frames.Select(f => f.Device + "/" + f.Queue.ToString(CultureInfo.InvariantCulture)).Distinct().Order(StringComparer.Ordinal),
                host_rows = r.HostRows.Select(h => new { h.Device, h.Pool, h.NicModel, h.Driver, h.DriverVersion, h.Kernel, iommu_mode = h.IommuMode.Name(), h.NumaNode, h.CpuNumaNode, h.Fingerprint }),
            });
            return;
        }
        var t = new Table().AddColumn("source").AddColumn("available").AddColumn("detail").AddColumn("needs");
        foreach (var s in sources)
        {
            t.AddRow(Markup.Escape(s.Source), s.Available ? "[green]yes[/]" : "[yellow]no[/]", Markup.Escape(s.Detail), Markup.Escape(s.Privilege ?? "-"));
        }
        output.Console.Write(ConsoleTables.Fit(t));
        output.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{host}: {r.Windows} windows ({r.LateReads} late reads), {r.Counters:N0} counters → {r.Frames.Count} host frames fed by {r.Sources} ({r.Frames.Count(f => f.FlushRate is null)} without an invalidation source: flush/map/unmap rates null), {r.HostRows.Count} new hosts rows."));
        if (r.NoFramesReason is not null)
        {
            output.Console.MarkupLineInterpolated($"[yellow]{r.NoFramesReason}[/]");
        }
    }
}
