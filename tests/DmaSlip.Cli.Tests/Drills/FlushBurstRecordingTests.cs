using System.Globalization;
using System.Text.Json;
using DmaSlip.Application.Drills;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Cli.Tests.Drills;

/// <summary>flush-burst-replay on recordings read through ingest → features: the simulator's storm onset and a user's folder.</summary>
public sealed class FlushBurstRecordingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-burst-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_simulators_storm_onset_recording_and_a_users_copy_of_it_keep_the_early_warning()
    {
        var work = Path.Combine(_dir, "sim");
        Directory.CreateDirectory(work);
        var rec = BurstRecordings.SimulatorOnset(new DrillContext(3, work, TextWriter.Null));
        // Frames come from features over the recorded files: every window of the 2 minutes, from counters.
        Assert.Equal("pool-b-h01", rec.Host);
        Assert.True(rec.Frames.Count >= 1190 * 4, $"{rec.Frames.Count} frames");
        Assert.Contains(rec.Frames, f => f.FlushRate > 0 && f.DmaLatencyQ99Ns is not null && f.TxCadenceCv is not null);
        Assert.NotEmpty(rec.DecisionToSendP99);
        var onset = Time.FromDate(2013, 10, 7) + (13 * Time.NanosPerHour) + (30 * Time.NanosPerMinute) + (long)(BurstRecordings.OnsetMinute * Time.NanosPerMinute);
        Assert.InRange(rec.OnsetNs, onset - (5 * Time.NanosPerSecond), onset + (5 * Time.NanosPerSecond));
        var r = FlushBurstReplayDrill.Evaluate(rec, RegimeControllerConfig.Default);
        Assert.True(r.Passed, string.Join("; ", r.Criteria));

        // A user's recording: the same files without truth/, the onset given on the command line.
        var user = Path.Combine(work, "recording");
        Directory.Delete(Path.Combine(user, "truth"), recursive: true);
        var (exit, output, err) = CliRunner.Run("drill", "flush-burst-replay", "--recording", user, "--onset",
            rec.OnsetNs.ToString(CultureInfo.InvariantCulture), "--work", Path.Combine(_dir, "user"), "--json");
        Assert.True(exit == 0, err + output);
        using var doc = JsonDocument.Parse(output);
        var evidence = doc.RootElement.GetProperty("drills")[0].GetProperty("evidence");
        Assert.StartsWith("recording ", evidence.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal(rec.OnsetNs, evidence.GetProperty("onset_ns").GetInt64());

        // Without truth and without --onset the drill cannot say when the burst began: a usage error before any work.
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("drill", "flush-burst-replay", "--recording", user).Exit);
        Assert.Equal(ExitCodes.Input, CliRunner.Run("drill", "flush-burst-replay", "--recording", Path.Combine(_dir, "none"), "--onset", "0").Exit);
    }

    [Fact]
    public void An_onset_is_ns_or_an_iso_time()
    {
        Assert.Equal(1_700_000_000_250_000_000, BurstRecordings.ParseOnset("1700000000250000000"));
        Assert.Equal(1_700_000_000_250_000_000, BurstRecordings.ParseOnset("2023-11-14T22:13:20.250Z"));
        Assert.Throws<DmaSlip.Application.UsageException>(() => BurstRecordings.ParseOnset("soon"));
    }
}
