using System.Text;
using CsCheck;
using DmaSlip.Ingest.Tests.Reference;
using DmaSlip.Ingest.Trace;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// The fast trace parser reads every line exactly as the reference parser (the code before the fast paths, kept in
/// <c>Reference/</c>) does: same line kind, timestamp, cpu, event, body, decode outcome, fields and error text.
/// Checked on the golden files, generated lines and many mutations of them, so every fast-path accept and reject
/// branch is compared with the general code.
/// </summary>
public class TraceParityTests
{
    private static readonly string[] Seeds = BuildSeeds();

    private static string[] BuildSeeds()
    {
        var lines = new List<string>();
        foreach (var f in new[]
        {
            "ftrace-mixed.trace", "ftrace-ath12k.trace", "perf-script.txt", "trace-cmd.txt",
            "ftrace-latency-format.trace", "ftrace-irqsoff-latency.trace", "ftrace-function-graph.trace", "ftrace-function-graph-notime.trace",
        })
        {
            lines.AddRange(File.ReadAllLines(Golden("trace", f)));
        }
        using var dir = new DmaSlip.Testing.TempDir();
        var path = dir.File("gen.trace");
        TraceText.Write(path, 200, 3);
        lines.AddRange(File.ReadAllLines(path));
        lines.AddRange(
        [
            "  a-1 [000] .... 1.000000: map: IOMMU: iova=0x0000000ffff36000 paddr=0x0000000080000000 size=4096",
            "  a-1 [000] .... 1.000001: unmap: IOMMU: iova=0x0000000ffff36000 size=4096 unmapped_size=4096",
            "  swapper     0 [008]   731.946506: net:net_dev_xmit: dev=enp10s0f0  skbaddr=0xffff966497100400 len=1500 rc=0",
            "  perf 12/34 [001] 5.000001: iommu:unmap: IOMMU: iova=0x1000 - 0x2000 size=4096 unmapped_size=4096",
            "  bash-1234  (  1234) [002] d..1 10.5: napi:napi_poll: napi poll on napi struct 0xffff8f3b0a781800 for device mywork work 1 budget 64",
            "  x-9 [1] dNs1 1764091998.123456789: netif_receive_skb: dev=eth0 len=60 dev=eth1 len=70",
            "  x-9 [12345678901] .... 1.5: map: IOMMU: iova=0x1 - 0x2 paddr=0x3 size=1",
            "  x-9 [003] .... 1.5: map:",
            "  x-9 [003] ......... 1.5: map: IOMMU: iova=0x1 paddr=0x3 size=1",
            "  x-9 [003]\t.... 1.5: map: IOMMU: iova=0x1 paddr=0x3 size=1",
            "  x:y-9 [003] .... 1.5: map: IOMMU: iova=0x1 paddr=0x3 size=1",
            "  x-9 [003] .... 1.5: sys:evt:  body: more",
            "  x-9 [003] .... 1.5: iommu:map: IOMMU: iova=0x11111111111111111 paddr=0x3 size=1",
            "  x-9 [003] .... 1.5: iommu:map: IOMMU: iova=1f paddr=0x3 size=+1",
            "  x-9 [003] .... 1.5: unmap: IOMMU: iova=0x1 - 0x2 size=4096 unmapped_size=4096 size=1",
            "  x-9 [003] .... 1.5: napi_poll: napi poll on napi struct ffff for device eth0 work 64 budget 64 work 1",
            "  x-9 [003] .... 1.5: napi_poll: napi poll on napi struct ffff for device budget work 64 budget 64",
            "  <idle>-0       [001] d..1.  1234.567890: do_idle <-cpu_startup_entry",
            "       1234 us |   3)   0.512 us    |  /* net_dev_xmit: dev=eth0 skbaddr=00000000a1b2c3d4 len=60 rc=0 */",
            " 12.5 |  10)  sshd-1755    |  d..1 |               |  /* map: IOMMU: iova=0x1 - 0x2 paddr=0x3 size=4096 */",
            " 3)   ==========> |",
            " 3)               |  } /* mlx5e_napi_poll */",
            "      ps-6143    2d..1  259us+: napi_poll: napi poll on napi struct ffff for device eth0 work 1 budget 64",
        ]);
        return [.. lines];
    }

    private const string Alphabet = " \t:-[]()./0123456789abcdefxX=_#,{}IOMMUiovapdrsizeunmwkbgt|*<>!+";

    [Fact]
    public void Every_seed_line_parses_as_the_reference_parses_it()
    {
        foreach (var line in Seeds)
        {
            AssertSame(Encoding.UTF8.GetBytes(line));
        }
    }

    [Fact]
    public void Mutated_lines_parse_as_the_reference_parses_them()
    {
        var mutation = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 10_000], Gen.Int[0, Alphabet.Length + 255]);
        Gen.Select(Gen.Int[0, Seeds.Length - 1], mutation.Array[1, 4]).Sample((seed, edits) =>
        {
            var b = new List<byte>(Encoding.UTF8.GetBytes(Seeds[seed]));
            foreach (var (op, where, what) in edits)
            {
                var at = b.Count == 0 ? 0 : where % b.Count;
                var c = what < Alphabet.Length ? (byte)Alphabet[what] : (byte)(what - Alphabet.Length);
                switch (op)
                {
                    case 0 when b.Count > 0: b[at] = c; break;
                    case 1: b.Insert(at, c); break;
                    case 2 when b.Count > 0: b.RemoveAt(at); break;
                    case 3: b.RemoveRange(at, b.Count - at); break; // truncation
                    case 4: b.Insert(at, (byte)' '); break;
                }
            }
            AssertSame([.. b]);
        }, iter: 40_000);
    }

    [Fact]
    public void Lines_built_from_random_framing_and_field_pieces_parse_as_the_reference_parses_them()
    {
        static Gen<string> Chars(string set, int min, int max) => Gen.Int[min, max].SelectMany(n => Gen.Char[set].Array[n, n].Select(a => new string(a)));
        // mostly well-formed pieces (so the fast paths run), with the edges they must reject mixed in
        var num = Gen.Frequency((6, Chars("0123456789", 1, 6)), (2, Chars("0123456789", 17, 20)), (1, Pick("", "+5", "-5", "1a", "00")));
        var hex = Gen.Frequency((6, Chars("0123456789abcdef", 1, 16)), (1, Chars("0123456789abcdefABCDEF", 0, 18)), (1, Pick("zz", "0x1", "1g")));
        var comm = Pick("<idle>", "kworker/1:1", "Web Content", "a-b", "x", "(t)", "", "9", "a b c", "a:b");
        var pid = Gen.Frequency((6, Pick("-0", "-77", "-2530388", " 0", " 1394")), (1, Pick("--1", "- 1", "-", " 12/34", "-x", "")));
        var cpu = Gen.Frequency((6, Chars("0123456789", 1, 3)), (1, Chars("0123456789", 0, 12)), (1, Pick("-1", "x", " 1")));
        var flags = Gen.Frequency((6, Chars(".dNsh1", 0, 7)), (1, Chars(".dNsh1XZ", 8, 10)), (1, Pick("d .", "\t.")));
        var ts = Gen.Frequency((6, Gen.Select(Chars("0123456789", 1, 11), Chars("0123456789", 1, 9)).Select((a, b) => $"{a}.{b}")),
            (1, Gen.Select(Chars("0123456789.", 0, 13), Chars("0123456789.", 0, 11)).Select((a, b) => $"{a}.{b}")));
        var sp = Gen.Frequency((6, Pick(" ")), (1, Pick("  ", "", "\t", "    ")));
        var framing = Gen.Select(Gen.Select(Pick("", "  ", "          "), comm, pid, sp, cpu), Gen.Select(sp, flags, sp, ts))
            .Select((a, b) => $"{a.Item1}{a.Item2}{a.Item3}{a.Item4}[{a.Item5}]{b.Item1}{b.Item2}{b.Item3}{b.Item4}: ");
        var map = Gen.Select(hex, Gen.Frequency((3, hex.Select(h => $" - 0x{h}")), (1, Pick("", " -  0x1", " - 1"))), hex, num)
            .Select((a, range, c, d) => $"IOMMU: iova=0x{a}{range} paddr=0x{c} size={d}");
        var unmap = Gen.Select(hex, Gen.Frequency((3, hex.Select(h => $" - 0x{h}")), (1, Pick("", " -  0x1"))), num, num)
            .Select((a, range, n, u) => $"IOMMU: iova=0x{a}{range} size={n} unmapped_size={u}");
        var napi = Gen.Select(Pick("", "0x", "0X"), hex, Pick("eth0", "(no_device)", "mywork", "budget", "x budget", ""), num, num)
            .Select((x, p, d, w, b) => $"napi poll on napi struct {x}{p} for device {d} work {w} budget {b}");
        var net = Gen.Select(Pick("eth0", "", "enp1s0 "), hex, num, num, Pick("", " len=9", " dev=x"))
            .Select((d, p, l, r, tail) => $"dev={d} skbaddr={p} len={l} rc={r}{tail}");
        var qi = Gen.Select(Pick("iotlb_inv", "dev_tlb_inv", ""), Pick("dmar1:", "dmar1", ":", "dmar12: "), hex, hex, Gen.Select(hex, hex, Pick("", " 0x1", "  ")))
            .Select((t, u, a, b, rest) => $"{t} {u} 0x{a} 0x{b} 0x{rest.Item1} 0x{rest.Item2}{rest.Item3}");
        var evt = Gen.OneOf(
            Gen.Select(Pick("qi_submit", "intel_iommu:qi_submit"), qi, (n, b) => $"{n}: {b}"),
            Gen.Select(Pick("map", "iommu:map", "x:map"), map, (n, b) => $"{n}: {b}"),
            Gen.Select(Pick("unmap", "iommu:unmap"), unmap, (n, b) => $"{n}: {b}"),
            Gen.Select(Pick("napi_poll", "napi:napi_poll"), napi, (n, b) => $"{n}: {b}"),
            Gen.Select(Pick("netif_receive_skb", "net:net_dev_xmit", "net_dev_xmit"), net, (n, b) => $"{n}: {b}"),
            Gen.Select(Pick("map", "unmap", "napi_poll", "net_dev_xmit", "qi_submit", "sched_switch"), Gen.OneOf(map, unmap, napi, net, qi), (n, b) => $"{n}: {b}"));
        Gen.Select(framing, evt).Sample((f, e) => AssertSame(Encoding.UTF8.GetBytes(f + e)), iter: 40_000);
    }

    private static Gen<string> Pick(params string[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static void AssertSame(byte[] line)
    {
        var text = Encoding.UTF8.GetString(line);
        var k = TraceFrame.Parse(line, out var f);
        var rk = ReferenceTraceFrame.Parse(line, out var r);
        Assert.True(rk == k, $"kind {k} vs reference {rk}: {text}");
        if (k != TraceLineKind.Event)
        {
            return;
        }
        Assert.True(r.TsNs == f.TsNs && r.Cpu == f.Cpu, $"ts/cpu {f.TsNs}/{f.Cpu} vs reference {r.TsNs}/{r.Cpu}: {text}");
        Assert.True(r.System.SequenceEqual(f.System) && r.Event.SequenceEqual(f.Event) && r.Body.SequenceEqual(f.Body), $"event/body: {text}");
        var d = TraceEventDecoder.Decode(f.System, f.Event, f.Body, out var e);
        var rd = ReferenceTraceEventDecoder.Decode(r.System, r.Event, r.Body, out var re);
        Assert.True(rd == d, $"decode {d} vs reference {rd}: {text}");
        Assert.True(re.Kind == e.Kind && re.Size == e.Size && re.Value == e.Value && re.Aux == e.Aux && re.Reason == e.Reason
            && re.Device.SequenceEqual(e.Device), $"fields ({e.Kind} {e.Size} {e.Value} {e.Aux} {e.Reason}) vs reference ({re.Kind} {re.Size} {re.Value} {re.Aux} {re.Reason}): {text}");
    }
}
