using System.CommandLine;
using System.Globalization;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Ingest.Live;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary>
/// <c>dmaslip collect</c>: samples this host's live sources for a while and stores counters, host frames (counter
/// deltas → aggregated events → the feature engine, one window per interval) and the host's config row.
/// </summary>
internal static class CollectCommand
{
    public static Command Create()
    {
        var interval = new Option<int>("--interval") { Description = "Sampling interval in ms (also the frame window)", DefaultValueFactory = _ => 1000 };
        var duration = new Option<double>("--duration") { Description = "How long to sample, in seconds", DefaultValueFactory = _ => 5 };
        var host = new Option<string?>("--host") { Description = "Host name to store under (default: this machine's name)" };
        var command = new Command("collect", "Sample this host's procfs/sysfs/ethtool/debugfs counters into counters and host frames; lists unavailable sources with the reason.")
        {
            interval, duration, host,
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
            var sampler = new LiveSampler(name, TimeProvider.System);
            if (!sampler.Sources.Any(s => s.Available))
            {
                throw new InputException("no live source is readable on this host: " + string.Join("; ", sampler.Sources.Select(s => $"{s.Source}: {s.Detail}")));
            }
            using var store = DmaSlipStore.Open(parse.GetValue(CommonOptions.Db)!);
            var result = Run(store, sampler, name, ms, seconds);
            Report(output, name, sampler.Sources, result);
            return ExitCodes.Success;
        });
        return command;
    }

    internal sealed record CollectResult(int Samples, long Counters, long Events, IReadOnlyList<HostFrame> Frames, IReadOnlyList<HostInfo> HostRows);

    internal static CollectResult Run(DmaSlipStore store, LiveSampler sampler, string host, int intervalMs, double seconds)
    {
        var windowNs = intervalMs * Time.NanosPerMilli;
        var frames = new ListFrameSink();
        var streams = new HostFrameStreams(frames, new HostFrameOptions { WindowNs = windowNs, SlotNs = windowNs / 100 });
        var rounds = Math.Max(2, (int)Math.Round(seconds * 1000 / intervalMs) + 1);
        long counters = 0, events = 0;
        for (var i = 0; i < rounds; i++)
        {
            if (i > 0)
            {
                Thread.Sleep(intervalMs);
            }
            var sample = sampler.Sample();
            counters += store.Insert(sample.Counters);
            foreach (var e in sample.Events)
            {
                streams.Observe(host, e.Device, e.Event);
                events += e.Event.Count;
            }
        }
        streams.Flush();
        store.Insert(frames.Frames);
        var rows = sampler.ReadConfig().HostRows(host, null).ToList();
        store.Insert(rows);
        return new CollectResult(rounds, counters, events, frames.Frames, rows);
    }

    private static void Report(Output output, string host, IReadOnlyList<SourceStatus> sources, CollectResult r)
    {
        if (output.Json)
        {
            output.WriteJson(new
            {
                host,
                sources = sources.Select(s => new { source = s.Source, available = s.Available, detail = s.Detail }),
                samples = r.Samples,
                counters = r.Counters,
                events = r.Events,
                frames = r.Frames.Count,
                frame_streams = r.Frames.Select(f => f.Device + "/" + f.Queue.ToString(CultureInfo.InvariantCulture)).Distinct().Order(StringComparer.Ordinal),
                host_rows = r.HostRows.Count,
            });
            return;
        }
        var t = new Table().AddColumn("source").AddColumn("available").AddColumn("detail");
        foreach (var s in sources)
        {
            t.AddRow(Markup.Escape(s.Source), s.Available ? "[green]yes[/]" : "[yellow]no[/]", Markup.Escape(s.Detail));
        }
        output.Console.Write(t);
        output.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{host}: {r.Samples} samples, {r.Counters:N0} counters, {r.Events:N0} events → {r.Frames.Count} host frames, {r.HostRows.Count} hosts rows."));
    }
}
