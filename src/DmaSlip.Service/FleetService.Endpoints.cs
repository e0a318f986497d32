using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Routing;
using DmaSlip.Service.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DmaSlip.Service;

/// <summary>The HTTP API (docs/FLEET.md §HTTP). JSON in snake_case; errors are <c>{"error": "..."}</c>.</summary>
public sealed partial class FleetService
{
    private const int MaxBody = 16 * 1024;

    private void MapEndpoints(IEndpointRouteBuilder app, TokenCheck token)
    {
        var authLog = app.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("DmaSlip.Service.Auth");
        var authFailures = new AuthFailureLimiter(_time);
        app.MapGet("/healthz", () =>
        {
            var connected = NatsConnected;
            var degraded = DegradedReasons();
            var holder = Lease?.Holder;
            var body = new
            {
                status = degraded.Count > 0 ? "degraded" : Active ? "ok" : "standby",
                degraded_reasons = degraded,
                role = Active ? "active" : "standby",
                lease_holder = holder is null ? null : new { machine = holder.Machine, pid = holder.Pid, db = holder.Db },
                nats = connected ? "connected" : "disconnected",
                nats_disconnects = _connectionLog?.Disconnects ?? 0,
                nats_reconnects = _connectionLog?.Reconnects ?? 0,
                hosts = State.Hosts().Count,
                replicas = Replicas,
                frames_stored = Sink?.FramesAdded ?? 0,
                consumer_lag = LagSnapshot(),
                consumer_errors = Consumer?.Errors ?? 0,
                last_consumer_error = Consumer?.LastError,
            };
            // 503 only without the broker: a lagging consumer still works (and a load balancer must not drop it).
            return Results.Json(body, statusCode: connected ? 200 : 503);
        });

        app.MapGet("/api/regimes", () => Results.Ok(State.Hosts().Select(h => new
        {
            host = h.Host,
            pool = h.Pool,
            regime = h.Regime.Name(),
            regime_code = (int)h.Regime,
            // a metric the agent could not compute is null with its reason (warming up, no flush source ...), never a 0
            dfi = h.Signals.Dfi.Value,
            dfi_null_reason = h.Signals.Dfi.Reason("dfi"),
            djs = h.Signals.Djs.Value,
            djs_null_reason = h.Signals.Djs.Reason("djs"),
            pso = h.Signals.Pso.Value,
            pso_null_reason = h.Signals.Pso.Reason("pso"),
            last_seen_ns = h.LastSeenNs,
            frames_received = h.FramesReceived,
        })));

        app.MapGet("/api/routes", async (HttpRequest request, CancellationToken ct) =>
        {
            var urgency = request.Query["urgency"].ToString();
            if (urgency.Length == 0)
            {
                urgency = "normal";
            }
            if (urgency is not ("high" or "normal" or "low"))
            {
                return Error(400, $"urgency '{urgency}' is not one of high, normal, low");
            }
            var all = await Routes!.AllAsync(ct).ConfigureAwait(false);
            // Urgent flow may only go to validated low-pressure pools; other urgencies see every pool and its state.
            var pools = urgency == "high" ? all.Where(r => r.ValidatedLowPressure) : all;
            return Results.Ok(new { urgency, pools = pools.Select(RouteJson) });
        });

        app.MapPost("/api/routes", async (HttpRequest request, CancellationToken ct) =>
        {
            var client = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (authFailures.RetryAfter(client) is { } wait)
            {
                request.HttpContext.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Error(429, $"too many failed token attempts from {client}; retry in {wait} s");
            }
            if (token.Refusal(request) is { } refusal)
            {
                var failures = authFailures.Fail(client);
                // logged without the token: the reason only says what was wrong with it
                if (_options.Log is { } log)
                {
                    log($"refused POST /api/routes from {client}: {refusal} ({failures} failure(s) in the last minute)");
                }
                else
                {
                    authLog?.LogWarning("refused POST /api/routes from {Client}: {Reason} ({Failures} failure(s) in the last minute)", client, refusal, failures);
                }
                return Error(401, refusal, bearer: true);
            }
            if (request.ContentLength is > MaxBody)
            {
                return Error(400, $"body larger than {MaxBody} bytes");
            }
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
            if (buffer.Length > MaxBody)
            {
                return Error(400, $"body larger than {MaxBody} bytes");
            }
            if (RouteRequest.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var error) is not { } req)
            {
                return Error(400, error!);
            }
            if (!await IsKnownPoolAsync(req.Pool, ct).ConfigureAwait(false))
            {
                return Error(422, $"pool '{req.Pool}' is unknown: no host of it has reported and the routing table has no entry for it (a pin must name a pool of the fleet)");
            }
            var now = State.Now();
            var (route, changed, conflicts) = await Routes!.UpdateAsync(req.Pool, cur =>
            {
                cur ??= new PoolRoute(req.Pool, false, "no measurement yet", false, null, null, now);
                return cur.Pinned == req.Pin && cur.PinReason == (req.Pin ? req.Reason : null)
                    ? cur
                    : cur with { Pinned = req.Pin, PinReason = req.Pin ? req.Reason : null, PinActor = req.Pin ? req.Actor : null, UpdatedNs = now };
            }, ct).ConfigureAwait(false);
            if (changed)
            {
                Sink!.RecordRoute(new RouteChange(now, req.Pool, route!.State, (req.Pin ? "pin: " : "unpin: ") + req.Reason, req.Actor));
            }
            return Results.Ok(new { changed, conflicts, route = RouteJson(route!) });
        });
    }

    /// <summary>A pool is known when one of its hosts has reported to this instance or the routing table has it.</summary>
    private async Task<bool> IsKnownPoolAsync(string pool, CancellationToken ct) =>
        State.Hosts().Any(h => h.Pool == pool) || (await Routes!.GetAsync(pool, ct).ConfigureAwait(false)).Route is not null;

    private static object RouteJson(PoolRoute r) => new
    {
        pool = r.Pool,
        state = r.State,
        validated_low_pressure = r.ValidatedLowPressure,
        measured = r.Measured,
        measured_reason = r.MeasuredReason,
        pinned = r.Pinned,
        pin_reason = r.PinReason,
        pin_actor = r.PinActor,
        updated_ns = r.UpdatedNs,
    };

    private static IResult Error(int status, string reason, bool bearer = false)
    {
        return bearer
            ? new UnauthorizedWithReason(reason)
            : Results.Json(new { error = reason }, statusCode: status);
    }

    /// <summary>401 with a JSON reason and the <c>WWW-Authenticate: Bearer</c> challenge (RFC 6750).</summary>
    private sealed class UnauthorizedWithReason(string reason) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"dmaslip\"";
            return Results.Json(new { error = reason }, statusCode: 401).ExecuteAsync(httpContext);
        }
    }
}
