using System.Globalization;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Market;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// The LEAN tick parser's fast path for the common equity row (issue 21) reads what the general reader (split on commas,
/// each number parsed alone) reads, on every row it accepts; rows it declines go to the general reader unchanged.
/// </summary>
public class LeanTickFastPathTests
{
    private static readonly string[] Numbers = ["34200000", "0", "007", "1800000", "-5", "", "1.5", " 12", "123456789012345678", "1234567890123456789", "x"];
    private static readonly string[] Exchanges = ["P", "", "NYSE"];
    private static readonly string[] Tails = ["0,0", "1,0", ",", "0", "0,0,0", "", "T,1"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_row_the_fast_path_reads_gives_what_the_general_reader_gives(bool quotes)
    {
        var numeric = quotes ? 5 : 3;
        var want = quotes ? 8 : 6;
        Span<long> nums = stackalloc long[5];
        var fast = 0;
        var rows = 0;
        foreach (var row in Rows(numeric))
        {
            rows++;
            var bytes = Encoding.ASCII.GetBytes(row);
            var fields = row.Split(',');
            // the general reader: exactly the row's fields, each number an integer, a named exchange
            var general = fields.Length == want && fields.Take(numeric).All(f => long.TryParse(f, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                && fields[numeric].Length > 0;
            if (!LeanTickParser.TryPlain(bytes, quotes, nums, out var exchange, out var condition))
            {
                continue;
            }
            fast++;
            Assert.True(general, $"fast path read a row the general reader declines: {row}");
            for (var i = 0; i < numeric; i++)
            {
                Assert.Equal(long.Parse(fields[i], CultureInfo.InvariantCulture), nums[i]);
            }
            Assert.Equal(fields[numeric], Encoding.ASCII.GetString(exchange));
            Assert.Equal(fields[numeric + 1], Encoding.ASCII.GetString(condition));
        }
        Assert.True(fast > 0 && fast < rows, $"{fast} of {rows} rows on the fast path: the shapes must exercise both paths");
    }

    [Fact]
    public void A_day_of_mixed_rows_lands_the_good_ones_and_quarantines_the_rest_either_path()
    {
        const string text = "34200000,1800000,300,1800500,200,P,0,0\n" // fast path
            + "34200000,1800000,300,1800500,200,P,0,0\n"               // same ms: next seq
            + "34200100,-1,300,1800500,200,P,0,0\n"                     // general reader: a negative price lands as it is
            + "34200200,1800000,,1800500,200,P,0,0\n"                   // empty size: quarantined
            + "34200300,1800000,300,1800500,200,,0,0\n"                 // no exchange: quarantined
            + "34200400,1800000,300,1800500,200,P,0,0,9\n"              // a field too many: quarantined
            + "99999999,1800000,300,1800500,200,P,0,0\n";               // past the day: quarantined
        var (r, sink) = RunText("20131007_ibm_quote.csv", text);
        Assert.Equal((3L, 0L, 4L), (r.Records, r.Skipped, r.Quarantined));
        var q = sink.Rows<Quote>();
        Assert.Equal([0, 1, 0], q.Select(x => x.Seq));
        Assert.Equal((180.0, 300L, 180.05, 200L, "P", "IBM"), (q[0].BidPx, q[0].BidSize, q[0].AskPx, q[0].AskSize, q[0].Venue, q[0].Symbol));
        Assert.Equal(-0.0001, q[2].BidPx, 12);
    }

    private static IEnumerable<string> Rows(int numeric)
    {
        // every number position takes each shape in turn (the others a plain one), with each exchange and tail
        for (var pos = 0; pos < numeric; pos++)
        {
            foreach (var n in Numbers)
            {
                foreach (var exchange in Exchanges)
                {
                    foreach (var tail in Tails)
                    {
                        var nums = Enumerable.Range(0, numeric).Select(i => i == pos ? n : (34_200_000 + i).ToString(CultureInfo.InvariantCulture));
                        yield return string.Join(',', nums) + "," + exchange + (tail.Length > 0 || exchange.Length > 0 ? "," : "") + tail;
                    }
                }
            }
        }
    }
}
