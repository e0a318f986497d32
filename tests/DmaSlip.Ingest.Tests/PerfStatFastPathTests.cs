using System.Text;
using DmaSlip.Ingest.Counters;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// The perf stat parser's fast path for the common <c>-I -A -x,</c> row (issue 21) reads what the general CSV reader
/// reads, on every row it accepts; rows it declines go to the general reader unchanged.
/// </summary>
public class PerfStatFastPathTests
{
    private static readonly string[] Secs = ["1.000123456", "0.1", "12.5", "100", "1.0000000001", "x.1", "1.", ".5", "99999999999.5"];
    private static readonly string[] Aggs = ["CPU0", "CPU3", "CPU12", "CPU007", "CPU1234", "CPU", "cpu1", "S0", "S0-D0", "N0", ""];
    private static readonly string[] Counts = ["0", "42", "0123", "123456789012345", "1234567890123456", "1.5", "", "<not counted>", "-3", "1e3"];
    private static readonly string[] Units = ["", "msec", "x y"];
    private static readonly string[] Events =
    [
        "iommu:map", "intel_iommu:qi_submit", "net:net_dev_xmit", "irq:irq_handler_entry", "sched:sched_switch", "iommu:",
        "dmar0/iommu_requests/", "dmar1/iommu_requests,filter_ats_en=0x1/", "amd_iommu_0/mem_trans_total/", "dmar0/x", "cycles", "",
        "dmarx/iommu_requests/", "napi:napi_poll/",
    ];
    private static readonly string[] Tails = ["100000000,100.00,,", "100000000,100.00", "", "1,2,3,4,5,6"];

    [Fact]
    public void Every_row_the_fast_path_reads_gives_what_the_general_reader_gives()
    {
        var parser = new PerfStatParser();
        var strings = new StringCache();
        var fields = new List<string>();
        var fast = 0;
        var rows = 0;
        foreach (var secs in Secs)
        {
            foreach (var agg in Aggs)
            {
                foreach (var count in Counts)
                {
                    foreach (var unit in Units)
                    {
                        foreach (var evt in Events)
                        {
                            foreach (var tail in Tails)
                            {
                                var parts = new List<string> { secs, agg, count, unit, evt };
                                if (tail.Length > 0)
                                {
                                    parts.Add(tail);
                                }
                                var line = Encoding.UTF8.GetBytes(string.Join(',', parts.Where((p, i) => i != 1 || agg.Length > 0)));
                                rows++;
                                if (!parser.TryPlainCsv(line, strings, out var ts, out var value, out var pmu, out var name))
                                {
                                    continue;
                                }
                                fast++;
                                Assert.True(PerfStatParser.TrySplit(line, fields, out var ts2, out var value2, out var pmu2, out var name2), Encoding.UTF8.GetString(line));
                                Assert.Equal((ts2, value2, pmu2, name2), (ts, value, pmu, name));
                            }
                        }
                    }
                }
            }
        }
        // the fast path takes a real share of the shapes (and every row the bench and simulator write)
        Assert.InRange(fast, rows / 50, rows / 2);
        Assert.True(parser.TryPlainCsv("1.000123456,CPU1,4711,,intel_iommu:qi_submit,100000000,100.00,,"u8, strings, out _, out var v, out var p, out var n));
        Assert.Equal((4711.0, "cpu1", "intel_iommu:qi_submit"), (v!.Value, p, n));
    }
}
