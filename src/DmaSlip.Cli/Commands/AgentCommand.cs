using System.CommandLine;
using DmaSlip.Application;
using DmaSlip.Application.Control;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Control;
using DmaSlip.Fleet;
using DmaSlip.Fleet.Agent;
using DmaSlip.Fleet.Resilience;
using DmaSlip.Fleet.Spool;
using DmaSlip.Ingest.Live;
using DmaSlip.Reports.Console;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip agent</c>: per-host sampler → frames → local controller → JetStream, spooling through outages.</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var nats = new Option<string>("--nats") { Description = "NATS server URL(s), comma-separated", Required = true };
        var host = new Option<string>("--host") { Description = "This host's name (a subject token)", Required = true };
        var pool = new Option<string>("--pool") { Description = "The host pool it belongs to (a subject token)", Required = true };
        var source = new Option<string[]>("--source")
        {
            Description = "'live' (sample this machine) or 'replay DIR' (the recorded real-format files of DIR/hosts/<host>/ through ingest and the counter frame path, at the recording's pace)",
            DefaultValueFactory = _ => ["live"],
            Arity = new ArgumentArity(1, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var duration = new Option<double?>("--duration") { Description = "Stop after S seconds (default: when the source ends, or Ctrl+C)" };
        var spool = new Option<string?>("--spool") { Description = "Spool folder for messages the broker has not acknowledged (default: memory only)" };
        var capacity = new Option<int>("--spool-capacity") { Description = "Most messages the spool holds", DefaultValueFactory = _ => 100_000 };
        var overflow = new Option<string>("--overflow") { Description = "When the spool is full: drop-oldest, drop-newest or block", DefaultValueFactory = _ => "block" };
        var speed = new Option<double>("--speed") { Description = "Replay speed factor (2 = twice the recorded pace)", DefaultValueFactory = _ => 1.0 };
        var drain = new Option<double>("--drain-timeout") { Description = "Seconds to wait for the spool to empty at the end", DefaultValueFactory = _ => 30 };
        var interval = new Option<int>("--interval") { Description = "Live sampling interval in ms, also the frame window (--source live)", DefaultValueFactory = _ => 100 };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds to keep retrying the first connect to NATS (sampling into the spool meanwhile) before giving up (exit 3); 0 = forever", DefaultValueFactory = _ => 60 };
        var perMessage = new Option<int?>("--windows-per-message") { Description = "Windows per frame-batch message, 1..1000 (default: one second's at --interval, 10 at 100 ms); a regime change sends at once" };
        var controller = new Option<string?>("--controller") { Description = "Regime controller config, JSON or YAML (default: the built-in thresholds, docs/CONTROLLER.md)" };
        var command = new Command("agent", "Run the per-host agent: compute frames, run the regime controller locally, publish to JetStream (spooling when the broker is unreachable).")
        {
            nats, host, pool, source, duration, spool, capacity, overflow, speed, drain, controller, interval, connectTimeout, perMessage,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var h = parse.GetValue(host)!;
            var p = parse.GetValue(pool)!;
            if (!FleetNames.IsValidToken(h) || !FleetNames.IsValidToken(p))
            {
                throw new UsageException($"--host '{h}' and --pool '{p}' must be 1-128 ASCII letters, digits, '-' or '_'.");
            }
            if (!SpoolOptions.TryParseOverflow(parse.GetValue(overflow), out var policy))
            {
                throw new UsageException($"--overflow '{parse.GetValue(overflow)}' is not drop-oldest, drop-newest or block.");
            }
            if (parse.GetValue(speed) is <= 0 or double.NaN || parse.GetValue(capacity) < 1 || parse.GetValue(connectTimeout) is < 0 or double.NaN)
            {
                throw new UsageException("--speed must be > 0, --spool-capacity >= 1 and --connect-timeout >= 0.");
            }
            if (parse.GetValue(interval) is < 10 or > 3_600_000)
            {
                throw new UsageException("--interval must be 10..3600000 ms.");
            }
            var windowsPerMessage = parse.GetValue(perMessage) ?? Math.Max(1, 1000 / parse.GetValue(interval));
            if (windowsPerMessage is < 1 or > 1000)
            {
                throw new UsageException("--windows-per-message must be 1..1000.");
            }
            using var live = parse.GetValue(source) is ["live"] ? new LiveSampler(h, TimeProvider.System) : null;
            if (live is not null)
            {
                ReportSources(output, live.Sources);
            }
            var frameSource = CreateSource(parse.GetValue(source)!, h, parse.GetValue(speed), live, parse.GetValue(interval));
            var seconds = parse.GetValue(duration);
            using var stop = new StopSignal(seconds is { } s ? TimeSpan.FromSeconds(s) : null);
            using var messageSpool = OpenSpool(new SpoolOptions(parse.GetValue(spool), parse.GetValue(capacity), policy));
            var agent = new FleetAgent(h, p, frameSource, new ControllerRegimeTracker(h, ControllerConfigFile.LoadOrDefault(parse.GetValue(controller))), messageSpool, TimeProvider.System)
            {
                WindowsPerMessage = windowsPerMessage,
            };
            AgentReport report;
            try
            {
                report = AgentSession.RunAsync(agent, parse.GetValue(nats)!, "dmaslip-agent-" + h, TimeSpan.FromSeconds(parse.GetValue(connectTimeout)),
                    TimeSpan.FromSeconds(parse.GetValue(drain)), output.Progress.WriteLine, TimeProvider.System, stop.Token).GetAwaiter().GetResult();
            }
            catch (BrokerUnreachableException ex)
            {
                throw new InputException(ex.Message + (parse.GetValue(spool) is { } dir ? $" (kept in the spool {dir} for the next run)" : " (no --spool: they are lost)"), ex);
            }
            switch (frameSource)
            {
                case ReplayFrameSource replay:
                    output.Progress.WriteLine($"replay: {replay.Windows:N0} windows from the recording of {h}; {replay.Rejected.Count:N0} records or files not used");
                    foreach (var r in replay.Rejected.Take(5))
                    {
                        output.Progress.WriteLine("  " + r);
                    }
                    break;
                case LiveFrameSource l:
                    output.Progress.WriteLine($"live: {l.LateReads:N0} late reads; not read after the first rounds (nothing of theirs feeds a frame): {(l.SamplersNotRead.Count == 0 ? "none" : string.Join(", ", l.SamplersNotRead))}");
                    if (l.NoFramesReason is { } why)
                    {
                        output.Progress.WriteLine("live: " + why);
                    }
                    break;
            }
            Print(output, report);
            return report.Unsent == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static void ReportSources(Output output, IReadOnlyList<SourceStatus> sources)
    {
        if (!sources.Any(s => s.Available))
        {
            throw new InputException("no live source is readable on this host: " + string.Join("; ", sources.Select(s => $"{s.Source}: {s.Detail}")));
        }
        foreach (var s in sources)
        {
            output.Progress.WriteLine($"source {s.Source}: {(s.Available ? "yes" : "no")} — {s.Detail}{(s.Available || s.Privilege is null ? "" : $" (needs {s.Privilege})")}");
        }
    }

    private static MessageSpool OpenSpool(SpoolOptions options)
    {
        try
        {
            return new MessageSpool(options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--spool '{options.Directory}' cannot be used: {ex.Message}", ex);
        }
    }

    private static IFrameSource CreateSource(string[] source, string host, double speed, LiveSampler? live, int intervalMs)
    {
        switch (source)
        {
            case ["replay", var dir]:
                try
                {
                    return new ReplayFrameSource(dir, host, speed, TimeProvider.System);
                }
                catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or Ingest.IngestException)
                {
                    throw new InputException(ex.Message, ex);
                }
            case ["live"] when live is not null:
                return new LiveFrameSource(new LiveCollector(live, intervalMs * Core.Domain.Time.NanosPerMilli, TimeProvider.System) { FrameInputsOnly = true }, TimeProvider.System);
            default:
                throw new UsageException($"--source '{string.Join(' ', source)}' is not 'live' or 'replay DIR'.");
        }
    }

    private static void Print(Output output, AgentReport r)
    {
        if (output.Json)
        {
            output.WriteJson(r);
            return;
        }
        var t = new Table().AddColumn("agent").AddColumn(new TableColumn("value").RightAligned());
        t.AddRow("host / boot", $"{r.Host} / {r.Boot}");
        t.AddRow("windows / frames", $"{r.Windows:N0} / {r.Frames:N0}");
        t.AddRow("regime changes", $"{r.RegimeChanges:N0}");
        t.AddRow("published (dup acks)", $"{r.Published:N0} ({r.DuplicateAcks:N0})");
        t.AddRow("publish failures (retried)", $"{r.PublishFailures:N0}");
        t.AddRow("dropped oldest / newest", $"{r.DroppedOldest:N0} / {r.DroppedNewest:N0}");
        t.AddRow("recovered from spool / unsent", $"{r.RecoveredFromSpool:N0} / {r.Unsent:N0}");
        output.Console.Write(ConsoleTables.Fit(t));
        if (r.LastError is not null)
        {
            output.Console.MarkupLineInterpolated($"[grey]last publish error: {r.LastError}[/]");
        }
    }
}
