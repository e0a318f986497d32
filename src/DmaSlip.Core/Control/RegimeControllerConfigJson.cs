using System.Globalization;
using System.Text;
using System.Text.Json;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Control;

/// <summary>
/// Reads and writes <see cref="RegimeControllerConfig"/> as JSON (docs/CONTROLLER.md shows the file). Fields left
/// out keep their defaults; unknown fields are errors (a misspelt threshold must not silently fall back to a
/// default). Durations are in ms, spacing in µs. System.Text.Json is in the BCL, so Core can own the format; the
/// CLI turns YAML into the same JSON tree.
/// </summary>
public static class RegimeControllerConfigJson
{
    /// <summary>Parses JSON text; on failure returns null and every problem found (parse or validation).</summary>
    public static RegimeControllerConfig? TryParse(string json, out IReadOnlyList<string> errors)
    {
        var e = new List<string>();
        errors = e;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            e.Add($"not valid JSON: {ex.Message}");
            return null;
        }
        using (doc)
        {
            var cfg = Read(doc.RootElement, e);
            if (e.Count > 0)
            {
                return null;
            }
            e.AddRange(cfg.Validate());
            return e.Count == 0 ? cfg : null;
        }
    }

    /// <summary>Parses JSON text or throws <see cref="ConfigValidationException"/> with every problem.</summary>
    public static RegimeControllerConfig Parse(string json) =>
        TryParse(json, out var errors) ?? throw new ConfigValidationException(errors);

    private static RegimeControllerConfig Read(JsonElement root, List<string> e)
    {
        var c = RegimeControllerConfig.Default;
        if (root.ValueKind != JsonValueKind.Object)
        {
            e.Add("root: expected an object");
            return c;
        }
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "watch":
                    c = ReadEdge(p.Value, "watch", e, c.WatchEnter, c.WatchExit, c.WatchConfirmNs, c.WatchDwellNs,
                        (cc, en, ex, conf, dw) => cc with { WatchEnter = en, WatchExit = ex, WatchConfirmNs = conf, WatchDwellNs = dw }, c);
                    break;
                case "storm":
                    if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("dfi_only_confirm_ms", out var dfiOnly))
                    {
                        c = c with { StormDfiOnlyConfirmNs = Ms(dfiOnly, "storm.dfi_only_confirm_ms", e, c.StormDfiOnlyConfirmNs) };
                    }
                    c = ReadEdge(p.Value, "storm", e, c.StormEnter, c.StormExit, c.StormConfirmNs, c.StormDwellNs,
                        (cc, en, ex, conf, dw) => cc with { StormEnter = en, StormExit = ex, StormConfirmNs = conf, StormDwellNs = dw }, c);
                    break;
                case "contain":
                    c = ReadContain(p.Value, e, c);
                    break;
                case "recurrence_window_ms":
                    c = c with { RecurrenceWindowNs = Ms(p.Value, "recurrence_window_ms", e, c.RecurrenceWindowNs) };
                    break;
                case "policies":
                    c = ReadPolicies(p.Value, e, c);
                    break;
                case "$schema" or "description":
                    break;
                default:
                    e.Add($"{p.Name}: unknown field (expected watch, storm, contain, recurrence_window_ms, policies)");
                    break;
            }
        }
        return c;
    }

    private delegate RegimeControllerConfig EdgeSetter(RegimeControllerConfig c, SignalThresholds enter, SignalThresholds exit, long confirmNs, long dwellNs);

    private static RegimeControllerConfig ReadEdge(JsonElement el, string path, List<string> e, SignalThresholds enter, SignalThresholds exit,
        long confirm, long dwell, EdgeSetter set, RegimeControllerConfig c)
    {
        if (!IsObject(el, path, e))
        {
            return c;
        }
        foreach (var p in el.EnumerateObject())
        {
            var at = path + "." + p.Name;
            switch (p.Name)
            {
                case "enter": enter = ReadSignals(p.Value, at, e, enter); break;
                case "exit": exit = ReadSignals(p.Value, at, e, exit); break;
                case "confirm_ms": confirm = Ms(p.Value, at, e, confirm); break;
                case "dwell_ms": dwell = Ms(p.Value, at, e, dwell); break;
                case "dfi_only_confirm_ms" when path == "storm": break;
                default: e.Add($"{at}: unknown field (expected enter, exit, confirm_ms, dwell_ms{(path == "storm" ? ", dfi_only_confirm_ms" : "")})"); break;
            }
        }
        return set(c, enter, exit, confirm, dwell);
    }

    private static SignalThresholds ReadSignals(JsonElement el, string path, List<string> e, SignalThresholds t)
    {
        if (!IsObject(el, path, e))
        {
            return t;
        }
        foreach (var p in el.EnumerateObject())
        {
            var at = path + "." + p.Name;
            switch (p.Name)
            {
                case "dfi": t = t with { Dfi = Num(p.Value, at, e, t.Dfi) }; break;
                case "djs": t = t with { Djs = Num(p.Value, at, e, t.Djs) }; break;
                case "pso": t = t with { Pso = Num(p.Value, at, e, t.Pso) }; break;
                default: e.Add($"{at}: unknown field (expected dfi, djs, pso)"); break;
            }
        }
        return t;
    }

    private static RegimeControllerConfig ReadContain(JsonElement el, List<string> e, RegimeControllerConfig c)
    {
        if (!IsObject(el, "contain", e))
        {
            return c;
        }
        var enter = c.ContainEnter;
        var exit = c.ContainExit;
        var confirm = c.ContainConfirmNs;
        var dwell = c.ContainDwellNs;
        foreach (var p in el.EnumerateObject())
        {
            var at = "contain." + p.Name;
            switch (p.Name)
            {
                case "enter": enter = ReadContainThresholds(p.Value, at, e, enter); break;
                case "exit": exit = ReadContainThresholds(p.Value, at, e, exit); break;
                case "confirm_ms": confirm = Ms(p.Value, at, e, confirm); break;
                case "dwell_ms": dwell = Ms(p.Value, at, e, dwell); break;
                default: e.Add($"{at}: unknown field (expected enter, exit, confirm_ms, dwell_ms)"); break;
            }
        }
        return c with { ContainEnter = enter, ContainExit = exit, ContainConfirmNs = confirm, ContainDwellNs = dwell };
    }

    private static ContainThresholds ReadContainThresholds(JsonElement el, string path, List<string> e, ContainThresholds t)
    {
        if (!IsObject(el, path, e))
        {
            return t;
        }
        foreach (var p in el.EnumerateObject())
        {
            var at = path + "." + p.Name;
            switch (p.Name)
            {
                case "storm_recurrence":
                    var r = Num(p.Value, at, e, t.StormRecurrence);
                    if (r != Math.Floor(r) || r > int.MaxValue || r < int.MinValue)
                    {
                        e.Add($"{at}: expected a whole number (got {r.ToString(CultureInfo.InvariantCulture)})");
                    }
                    else
                    {
                        t = t with { StormRecurrence = (int)r };
                    }
                    break;
                case "deadline_pressure": t = t with { DeadlinePressure = Num(p.Value, at, e, t.DeadlinePressure) }; break;
                default: e.Add($"{at}: unknown field (expected storm_recurrence, deadline_pressure)"); break;
            }
        }
        return t;
    }

    private static bool IsObject(JsonElement el, string path, List<string> e)
    {
        if (el.ValueKind == JsonValueKind.Object)
        {
            return true;
        }
        e.Add($"{path}: expected an object, got {el.ValueKind.ToString().ToLowerInvariant()}");
        return false;
    }

    private static double Num(JsonElement el, string path, List<string> e, double fallback)
    {
        if (el.ValueKind == JsonValueKind.Number && el.TryGetDouble(out var v))
        {
            return v;
        }
        e.Add($"{path}: expected a number, got {el.ValueKind.ToString().ToLowerInvariant()}");
        return fallback;
    }

    private static long Ms(JsonElement el, string path, List<string> e, long fallbackNs)
    {
        var ms = Num(el, path, e, fallbackNs / (double)Time.NanosPerMilli);
        // Durations are nanoseconds in a long (about 292 years): a larger value would wrap to a negative duration
        // on the cast and be reported as "must be >= 0", which is not what is wrong with it.
        var ns = Math.Round(ms * Time.NanosPerMilli);
        if (!(Math.Abs(ns) < MaxDurationNs))
        {
            e.Add($"{path}: {ms.ToString("R", CultureInfo.InvariantCulture)} ms is out of range (a duration must be within ±{MaxDurationNs / Time.NanosPerMilli:N0} ms, about 292 years)");
            return fallbackNs;
        }
        return (long)ns;
    }

    private const double MaxDurationNs = long.MaxValue; // 2^63 as a double: strictly below it the cast cannot wrap

    /// <summary>Writes the config as indented JSON in the shape <see cref="Parse"/> reads (round-trips exactly).</summary>
    public static string Write(RegimeControllerConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            WriteEdge(w, "watch", c.WatchEnter, c.WatchExit, c.WatchConfirmNs, c.WatchDwellNs);
            WriteEdge(w, "storm", c.StormEnter, c.StormExit, c.StormConfirmNs, c.StormDwellNs, c.StormDfiOnlyConfirmNs);
            w.WriteStartObject("contain");
            WriteContain(w, "enter", c.ContainEnter);
            WriteContain(w, "exit", c.ContainExit);
            w.WriteNumber("confirm_ms", c.ContainConfirmNs / (double)Time.NanosPerMilli);
            w.WriteNumber("dwell_ms", c.ContainDwellNs / (double)Time.NanosPerMilli);
            w.WriteEndObject();
            w.WriteNumber("recurrence_window_ms", c.RecurrenceWindowNs / (double)Time.NanosPerMilli);
            w.WriteStartObject("policies");
            for (var r = Regime.MapStable; r <= Regime.SafeDmaContain; r++)
            {
                w.WritePropertyName(r.Name().ToLowerInvariant());
                PolicyJson.Write(w, c.PolicyFor(r));
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void WriteEdge(Utf8JsonWriter w, string name, SignalThresholds enter, SignalThresholds exit, long confirm, long dwell, long? dfiOnlyConfirm = null)
    {
        w.WriteStartObject(name);
        WriteSignals(w, "enter", enter);
        WriteSignals(w, "exit", exit);
        w.WriteNumber("confirm_ms", confirm / (double)Time.NanosPerMilli);
        if (dfiOnlyConfirm is { } d)
        {
            w.WriteNumber("dfi_only_confirm_ms", d / (double)Time.NanosPerMilli);
        }
        w.WriteNumber("dwell_ms", dwell / (double)Time.NanosPerMilli);
        w.WriteEndObject();
    }

    private static void WriteSignals(Utf8JsonWriter w, string name, SignalThresholds t)
    {
        w.WriteStartObject(name);
        w.WriteNumber("dfi", t.Dfi);
        w.WriteNumber("djs", t.Djs);
        w.WriteNumber("pso", t.Pso);
        w.WriteEndObject();
    }

    private static void WriteContain(Utf8JsonWriter w, string name, ContainThresholds t)
    {
        w.WriteStartObject(name);
        w.WriteNumber("storm_recurrence", t.StormRecurrence);
        w.WriteNumber("deadline_pressure", t.DeadlinePressure);
        w.WriteEndObject();
    }

    private static RegimeControllerConfig ReadPolicies(JsonElement el, List<string> e, RegimeControllerConfig c)
    {
        if (!IsObject(el, "policies", e))
        {
            return c;
        }
        foreach (var p in el.EnumerateObject())
        {
            var at = "policies." + p.Name;
            switch (p.Name)
            {
                case "map_stable": c = c with { MapStablePolicy = PolicyJson.Read(p.Value, at, e, c.MapStablePolicy) }; break;
                case "pressure_watch": c = c with { PressureWatchPolicy = PolicyJson.Read(p.Value, at, e, c.PressureWatchPolicy) }; break;
                case "flush_storm": c = c with { FlushStormPolicy = PolicyJson.Read(p.Value, at, e, c.FlushStormPolicy) }; break;
                case "safe_dma_contain": c = c with { SafeDmaContainPolicy = PolicyJson.Read(p.Value, at, e, c.SafeDmaContainPolicy) }; break;
                default: e.Add($"{at}: unknown regime (expected map_stable, pressure_watch, flush_storm, safe_dma_contain)"); break;
            }
        }
        return c;
    }

    /// <summary>JSON of one <see cref="ExecutionPolicy"/>; null cap/burst mean "no cap".</summary>
    private static class PolicyJson
    {
        public static ExecutionPolicy Read(JsonElement el, string path, List<string> e, ExecutionPolicy p)
        {
            if (!IsObject(el, path, e))
            {
                return p;
            }
            foreach (var f in el.EnumerateObject())
            {
                var at = path + "." + f.Name;
                switch (f.Name)
                {
                    case "replace_rate_cap_per_s":
                        p = p with { ReplaceRateCapPerSecond = f.Value.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : Num(f.Value, at, e, p.ReplaceRateCapPerSecond) };
                        break;
                    case "pacing_factor": p = p with { PacingFactor = Num(f.Value, at, e, p.PacingFactor) }; break;
                    case "max_child_burst":
                        var b = f.Value.ValueKind == JsonValueKind.Null ? int.MaxValue : Num(f.Value, at, e, p.MaxChildBurst);
                        if (b != Math.Floor(b) || b > int.MaxValue || b < int.MinValue)
                        {
                            e.Add($"{at}: expected a whole number or null");
                        }
                        else
                        {
                            p = p with { MaxChildBurst = (int)b };
                        }
                        break;
                    case "min_spacing_us":
                        p = p with { MinSpacingNs = (long)Math.Round(Num(f.Value, at, e, p.MinSpacingNs / (double)Time.NanosPerMicro) * Time.NanosPerMicro) };
                        break;
                    case "catch_up": p = p with { CatchUpMode = PolicyText.ParseCatchUp(Text(f.Value, at, e), at, e, p.CatchUpMode) }; break;
                    case "routing": p = p with { Routing = PolicyText.ParseRouting(Text(f.Value, at, e), at, e, p.Routing) }; break;
                    case "completion": p = p with { Completion = PolicyText.ParseCompletion(Text(f.Value, at, e), at, e, p.Completion) }; break;
                    default:
                        e.Add($"{at}: unknown field (expected replace_rate_cap_per_s, pacing_factor, max_child_burst, min_spacing_us, catch_up, routing, completion)");
                        break;
                }
            }
            return p;
        }

        public static void Write(Utf8JsonWriter w, ExecutionPolicy p)
        {
            w.WriteStartObject();
            if (double.IsPositiveInfinity(p.ReplaceRateCapPerSecond))
            {
                w.WriteNull("replace_rate_cap_per_s");
            }
            else
            {
                w.WriteNumber("replace_rate_cap_per_s", p.ReplaceRateCapPerSecond);
            }
            w.WriteNumber("pacing_factor", p.PacingFactor);
            if (p.MaxChildBurst == int.MaxValue)
            {
                w.WriteNull("max_child_burst");
            }
            else
            {
                w.WriteNumber("max_child_burst", p.MaxChildBurst);
            }
            w.WriteNumber("min_spacing_us", p.MinSpacingNs / (double)Time.NanosPerMicro);
            w.WriteString("catch_up", PolicyText.Name(p.CatchUpMode));
            w.WriteString("routing", PolicyText.Name(p.Routing));
            w.WriteString("completion", PolicyText.Name(p.Completion));
            w.WriteEndObject();
        }

        private static string? Text(JsonElement el, string path, List<string> e)
        {
            if (el.ValueKind == JsonValueKind.String)
            {
                return el.GetString();
            }
            e.Add($"{path}: expected a string, got {el.ValueKind.ToString().ToLowerInvariant()}");
            return null;
        }
    }
}
