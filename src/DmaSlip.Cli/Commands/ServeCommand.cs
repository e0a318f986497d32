using System.CommandLine;
using DmaSlip.Cli.Internal;
using DmaSlip.Service;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip serve</c>: the fleet service (JetStream consumer → store, KV routing, HTTP API, /metrics).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var nats = new Option<string>("--nats") { Description = "NATS server URL(s), comma-separated (e.g. nats://127.0.0.1:4222,nats://127.0.0.1:4223)", Required = true };
        var urls = new Option<string>("--urls") { Description = "HTTP listen URL(s); loopback unless you say otherwise", DefaultValueFactory = _ => ServeOptions.DefaultUrls };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the bearer token required by POST /api/routes (without it writes are refused)" };
        var replicas = new Option<int>("--replicas") { Description = "Stream/KV replicas (0 = 3 on a cluster of >= 3 servers, else 1)", DefaultValueFactory = _ => 0 };
        var ackWait = new Option<double>("--ack-wait") { Description = "Seconds JetStream waits for an ack before redelivering", DefaultValueFactory = _ => 30 };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds to keep retrying the first connect to NATS before giving up (exit 3); 0 = forever", DefaultValueFactory = _ => 30 };
        var leaseTtl = new Option<double>("--lease-ttl") { Description = "Seconds after the active instance stops renewing the writer lease before a standby takes over (same on every instance)", DefaultValueFactory = _ => 10 };
        var command = new Command("serve", "Run the fleet service: store frames/regimes from JetStream (ack after commit), keep the routing KV, serve /api and /metrics.")
        {
            nats,
            urls,
            tokenFile,
            replicas,
            ackWait,
            connectTimeout,
            leaseTtl,
        };
        command.SetAction(parse =>
        {
            var r = parse.GetValue(replicas);
            if (r is < 0 or > 5)
            {
                throw new UsageException("--replicas must be 0 (auto) or 1..5.");
            }
            if (parse.GetValue(leaseTtl) is < 1 or > 3600 or double.NaN || parse.GetValue(connectTimeout) is < 0 or double.NaN)
            {
                throw new UsageException("--lease-ttl must be 1..3600 s and --connect-timeout >= 0 s.");
            }
            var stderr = parse.InvocationConfiguration.Error;
            var options = new ServeOptions(parse.GetValue(nats)!, parse.GetValue(urls)!, parse.GetValue(CommonOptions.Db)!, parse.GetValue(tokenFile))
            {
                Replicas = r,
                AckWait = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(ackWait))),
                ConnectTimeout = TimeSpan.FromSeconds(parse.GetValue(connectTimeout)),
                LeaseTtl = TimeSpan.FromSeconds(parse.GetValue(leaseTtl)),
                Log = line => stderr.WriteLine($"dmaslip serve: {DateTime.UtcNow:HH:mm:ss} {line}"),
            };
            using var stop = new StopSignal();
            var service = new FleetService(options);
            try
            {
                service.StartAsync(stop.Token).GetAwaiter().GetResult();
                stderr.WriteLine($"dmaslip serve: listening on {string.Join(", ", service.Addresses)}; stream {Fleet.FleetNames.Stream} R{service.Replicas}; db {Path.GetFullPath(options.DbPath)}; {(service.Active ? "active writer" : "standby")}");
                stop.Token.WaitHandle.WaitOne();
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
                // stopped while starting
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
            {
                throw new InputException(ex.Message, ex);
            }
            finally
            {
                service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
