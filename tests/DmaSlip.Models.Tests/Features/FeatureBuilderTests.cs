using DmaSlip.Core.Domain;
using DmaSlip.Models.Features;

namespace DmaSlip.Models.Tests.Features;

public sealed class FeatureBuilderTests
{
    private static HostFrame Frame(string host, long start, double flush, double? q50, double? q99) =>
        new(host, "eth0", 0, start, 100, flush, 1, 2, 3, 10, 10, null, 500, 900, q50, q99, 0.1, 4, 0.01, 1, 0.2, 0.4, 10);

    [Fact]
    public void Host_features_aggregate_only_frames_overlapping_the_parents_life()
    {
        var frames = new[] { Frame("h0", 0, 100, 10, 30), Frame("h0", 100, 300, 10, 50), Frame("h0", 200, 900, 10, 90), Frame("h1", 100, 5000, 1, 1) };
        var b = new ParentFeatureBuilder(frames, []);
        var v = b.Build(new ParentFeatureBuilder.ParentInputs("h0", "IBM", 150, 250, 2, 100, 0.1, 3, 40, 0.5, 135));
        Assert.Equal(135f, v[OverlayFeatureSchema.IndexOf("sigma_life_bps")]);
        Assert.Equal(100f, v[OverlayFeatureSchema.IndexOf("sigma_daily_bps")]);
        // Frames starting at 100 and 200 overlap [150, 250); the one at 0 ends at 100 and does not.
        Assert.Equal(600f, v[OverlayFeatureSchema.IndexOf("flush_rate_mean")]);
        Assert.Equal(900f, v[OverlayFeatureSchema.IndexOf("flush_rate_max")]);
        // DJS = (q99 − q50)/q50: (50 − 10)/10 = 4 and (90 − 10)/10 = 8 → mean 6, max 8.
        Assert.Equal(6f, v[OverlayFeatureSchema.IndexOf("djs_mean")]);
        Assert.Equal(8f, v[OverlayFeatureSchema.IndexOf("djs_max")]);
        Assert.Equal(0.4f, v[OverlayFeatureSchema.IndexOf("pso_mean")]);
        Assert.True(float.IsNaN(v[OverlayFeatureSchema.IndexOf("iotlb_miss_ratio_mean")]), "a null field must stay missing");
        Assert.True(float.IsNaN(v[OverlayFeatureSchema.IndexOf("burst_index_mean")]), "no exec frames → missing");
    }

    [Fact]
    public void A_shock_every_host_sees_cancels_in_the_host_relative_features_but_a_local_one_survives()
    {
        var hosts = new[] { "h0", "h1", "h2", "h0", "h1", "h2" };
        var arrivals = new long[] { 0, 1, 2, 100, 101, 102 };
        var col = OverlayFeatureSchema.IndexOf("ack_latency_rel");
        // Bucket 0: every host at 300 µs (venue shock). Bucket 1: h0 at 300 µs, the others at 40 (local pressure).
        var values = new[] { 300f, 300f, 300f, 300f, 40f, 40f };
        var features = values.Select(x => { var f = new float[OverlayFeatureSchema.Count]; f[col] = x; return f; }).ToArray();
        CrossHostRelativizer.Apply(hosts, arrivals, features, 100);
        Assert.Equal([0f, 0f, 0f], features.Take(3).Select(f => f[col]));
        Assert.Equal(260f, features[3][col]);
        Assert.Equal(-130f, features[4][col]);
    }
}
