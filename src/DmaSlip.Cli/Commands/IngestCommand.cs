using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Ingest;
using DmaSlip.Cli.Internal;
using DmaSlip.Ingest;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip ingest</c>: parse telemetry, FIX logs and market data into the store (docs/INGEST.md).</summary>
internal static class IngestCommand
{
    private const long ProgressThresholdBytes = 64L << 20;

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders (a simulator output folder ingests as a whole)", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "auto, or one of: " + string.Join(", ", Formats.Names), DefaultValueFactory = _ => "auto" };
        var host = new Option<string?>("--host") { Description = "Host the data belongs to (default: from hosts/<host>/ or fix/<host>.fix.log in the path, or the data)" };
        var ts = new Option<double?>("--ts") { Description = "Unix seconds of a single snapshot without a timestamp line (default: the file's mtime)" };
        var pool = new Option<string?>("--pool") { Description = "Pool of the hosts whose config files are ingested (default: the host's stored pool)" };
        var device = new Option<string?>("--device") { Description = "Device of ethtool -S dumps that do not name it (file ethtool-S.<dev>.txt, or the dump's own 'ethtool -S DEV' line)" };
        var strict = new Option<bool>("--strict") { Description = "Exit 3 if anything was quarantined" };
        var parseThreads = new Option<int?>("--parse-threads") { Description = "Threads that parse one large trace file (default: one per processor; the rows are the same)" };
        var command = new Command("ingest", "Ingest Linux host telemetry, FIX logs and market data; formats are detected per file.")
        {
            paths, format, host, pool, device, ts, strict, parseThreads,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var fmt = parse.GetValue(format);
            if (fmt is not null && fmt != "auto" && !Formats.Names.Contains(fmt))
            {
                throw new UsageException($"unknown --format '{fmt}'. Known: auto, {string.Join(", ", Formats.Names)}");
            }
            if (parse.GetValue(parseThreads) is < 1)
            {
                throw new UsageException("--parse-threads must be 1 or more");
            }
            var inputs = parse.GetValue(paths)!;
            using var store = DmaSlipStore.Open(parse.GetValue(CommonOptions.Db)!);
            var results = Run(store, inputs, new IngestOptions
            {
                Format = fmt == "auto" ? null : fmt,
                Host = parse.GetValue(host),
                Pool = parse.GetValue(pool),
                Device = parse.GetValue(device),
                SnapshotTsNs = parse.GetValue(ts) is { } s ? (long)Math.Round(s * 1e9) : null,
                ParseThreads = parse.GetValue(parseThreads),
            }, output);
            Report(results, output);
            var stderr = parse.InvocationConfiguration.Error;
            foreach (var r in results)
            {
                foreach (var w in r.Warnings)
                {
                    stderr.WriteLine($"warning: {r.Path}: {w}");
                }
                if (r.WarningCount > r.Warnings.Count)
                {
                    stderr.WriteLine($"warning: {r.Path}: {r.WarningCount - r.Warnings.Count} more warning(s) of the same kinds");
                }
            }
            foreach (var r in results.Where(r => r.Error is not null))
            {
                stderr.WriteLine($"error: {r.Path}: {r.Error}");
            }
            var quarantined = results.Sum(r => r.Quarantined);
            if (results.Any(r => r.Error is not null))
            {
                return ExitCodes.Input;
            }
            if (parse.GetValue(strict) && quarantined > 0)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: --strict: {quarantined} record(s) quarantined (see the quarantine table)");
                return ExitCodes.Input;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Ingests into the store with a progress bar on stderr when the input is large. Also the demo's ingest.</summary>
    internal static IReadOnlyList<FileResult> Run(DmaSlipStore store, IReadOnlyList<string> inputs, IngestOptions options, Output output)
    {
        var total = IngestRunner.TotalBytes(inputs);
        if (total < ProgressThresholdBytes || output.Json)
        {
            return IngestRunner.Run(store, inputs, options);
        }
        IReadOnlyList<FileResult> results = [];
        output.Progress.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("ingest", maxValue: total);
                results = IngestRunner.Run(store, inputs, options, (done, _) => task.Value = done);
            });
        return results;
    }

    private static void Report(IReadOnlyList<FileResult> results, Output output)
    {
        if (output.Json)
        {
            output.WriteJsonText(IngestReportJson.Write(results));
            return;
        }
        var t = new Table().AddColumn("file").AddColumn("format")
            .AddColumn(new TableColumn("records").RightAligned()).AddColumn(new TableColumn("skipped").RightAligned())
            .AddColumn(new TableColumn("quarantined").RightAligned()).AddColumn("note");
        foreach (var r in results)
        {
            var note = r.Error is not null ? "[red]" + Markup.Escape(r.Error) + "[/]" : r.SkippedDuplicateFile ? "already ingested" : "";
            t.AddRow(Markup.Escape(r.Path), r.Format, N(r.Records), N(r.Skipped), N(r.Quarantined), note);
        }
        output.Console.Write(ConsoleTables.Fit(t));
        output.Console.MarkupLine($"{N(results.Sum(r => r.Records))} records, {N(results.Sum(r => r.Quarantined))} quarantined.");
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
