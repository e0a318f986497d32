using System.Text;
using CsCheck;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>No input makes a parser throw, and records + skipped + quarantined always equals the data lines.</summary>
public class FuzzTests
{
    private static readonly string[] LineFormats =
    [
        Formats.Ftrace, Formats.PerfScript, Formats.PerfStat, Formats.DmarPerfLatency, Formats.EthtoolStats, Formats.SoftnetStat,
        Formats.Interrupts, Formats.Fix, Formats.LobsterMessage, Formats.CanonicalCsv,
    ];

    private static readonly Dictionary<string, string> Samples = new()
    {
        [Formats.Ftrace] = File.ReadAllText(Golden("trace", "ftrace-mixed.trace")),
        [Formats.PerfScript] = File.ReadAllText(Golden("trace", "perf-script.txt")),
        [Formats.PerfStat] = File.ReadAllText(Golden("counters", "perf-stat.csv")),
        [Formats.DmarPerfLatency] = File.ReadAllText(Golden("counters", "dmar_perf_latency.txt")),
        [Formats.EthtoolStats] = File.ReadAllText(Golden("counters", "hosts", "ny4-07", "ethtool-S.eth0.txt")),
        [Formats.SoftnetStat] = File.ReadAllText(Golden("counters", "softnet11.txt")),
        [Formats.Interrupts] = File.ReadAllText(Golden("counters", "interrupts.txt")),
        [Formats.Fix] = File.ReadAllText(Golden("fix", "engine.fix.log")),
        [Formats.LobsterMessage] = string.Join('\n', File.ReadLines(DmaSlip.Testing.TestPaths.Data("lobster", "AAPL_2012-06-21_34200000_57600000_message_10.csv")).Take(40)),
        [Formats.CanonicalCsv] = "ts_ns,symbol,venue,px,size,condition,exchange_ts_ns,seq\n3,IBM,P,181.55,50,,,0\n4,IBM,P,x,50,,,0\n5,\"IBM\",P,181.5,1,\"a,b\",7,1\n",
    };

    private static string FileName(string format) => format switch
    {
        Formats.LobsterMessage => "AAPL_2012-06-21_34200000_57600000_message_10.csv",
        _ => "input.txt",
    };

    /// <summary>Lines a line format counts: every non-blank line except comments and the format's own header/framing lines.</summary>
    private static bool IsFramingLine(string format, string line)
    {
        var t = line.Trim(' ', '\t', '\r', '\f', '\v'); // the parsers' notion of blank (Ascii.IsSpace)
        if (t.Length == 0)
        {
            return true;
        }
        if (t.StartsWith('#') && format is not (Formats.Fix or Formats.LobsterMessage or Formats.SoftnetStat or Formats.CanonicalCsv or Formats.EthtoolStats or Formats.Interrupts or Formats.DmarPerfLatency))
        {
            return true;
        }
        return false;
    }

    private static void CheckNoThrowAndIdentity(string format, byte[] bytes)
    {
        var (r, sink) = RunBytes(FileName(format), bytes, format);
        Assert.Null(r.Error);
        var q = sink.Rows<Core.Domain.QuarantineRecord>().Count;
        Assert.Equal(r.Quarantined, q);
        Assert.True(r.Records >= 0 && r.Skipped >= 0 && r.Quarantined >= 0);
        // every non-blank line is accounted for once at most (framing lines count as none)
        // CSV (Sep) also ends a record at a lone CR; the line formats only at LF
        var text = Encoding.UTF8.GetString(bytes);
        var lines = (format == Formats.CanonicalCsv ? text.Split('\n', '\r') : text.Split('\n')).Count(l => !IsFramingLine(format, l));
        Assert.True(r.Records + r.Skipped + r.Quarantined <= Math.Max(lines, 1) * 1L, $"{format}: {r.Records}+{r.Skipped}+{r.Quarantined} > {lines} lines");
    }

    [Fact]
    public void Random_bytes_never_make_a_parser_throw()
    {
        Gen.Select(Gen.Int[0, LineFormats.Length - 1].Select(i => LineFormats[i]), Gen.Byte.Array[0, 600])
            .Sample((format, bytes) => CheckNoThrowAndIdentity(format, bytes), iter: 60);
    }

    [Fact]
    public void Random_bytes_never_break_the_binary_parsers()
    {
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            var dbn = new byte[] { (byte)'D', (byte)'B', (byte)'N', 1, 4, 0, 0, 0, 0, 0, 0, 0 }.Concat(bytes).ToArray();
            var (r, _) = RunBytes("x.dbn", dbn, Formats.DbnMbo);
            Assert.Null(r.Error);
            Assert.True(r.Quarantined <= 2);
            var (j, _) = RunBytes("inventory.json", bytes, Formats.Inventory);
            Assert.Null(j.Error);
        }, iter: 40);
    }

    [Fact]
    public void Truncation_at_every_offset_of_a_valid_file_never_throws_and_counts_at_most_its_lines()
    {
        foreach (var format in new[] { Formats.Ftrace, Formats.Fix, Formats.DmarPerfLatency, Formats.PerfStat })
        {
            var bytes = Encoding.UTF8.GetBytes(Samples[format]);
            var step = Math.Max(1, bytes.Length / 60);
            for (var cut = 0; cut <= bytes.Length; cut += step)
            {
                CheckNoThrowAndIdentity(format, bytes[..cut]);
            }
        }
    }

    [Fact]
    public void The_exact_counting_identity_holds_for_every_line_of_the_golden_files_when_mutated()
    {
        // For formats whose framing lines are only comments/blank lines, the identity is exact: r+s+q = data lines.
        foreach (var format in new[] { Formats.Ftrace, Formats.Fix, Formats.LobsterMessage, Formats.SoftnetStat })
        {
            var lines = Samples[format].Split('\n');
            Gen.Select(Gen.Int[0, lines.Length - 1], Gen.Int[0, 200], Gen.Byte).Sample((i, pos, b) =>
            {
                var copy = (string[])lines.Clone();
                var line = copy[i];
                var chars = line.ToCharArray();
                if (chars.Length > 0)
                {
                    chars[pos % chars.Length] = (char)(b % 95 + 32);
                }
                copy[i] = new string(chars);
                var text = string.Join('\n', copy);
                var (r, _) = RunBytes(FileName(format), Encoding.UTF8.GetBytes(text), format);
                Assert.Null(r.Error);
                var expected = copy.Count(l => l.Trim().Length > 0 && !(format != Formats.Fix && format != Formats.LobsterMessage && format != Formats.SoftnetStat && l.TrimStart().StartsWith('#')));
                Assert.Equal(expected, r.Records + r.Skipped + r.Quarantined);
            }, iter: 40);
        }
    }
}
