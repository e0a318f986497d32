using DmaSlip.Core.Domain;

namespace DmaSlip.Storage.Tests;

public sealed class NamingTests
{
    [Theory]
    [InlineData("TsNs", "ts_ns")]
    [InlineData("CIommuBps", "c_iommu_bps")]
    [InlineData("InvLatencyQ50Ns", "inv_latency_q50_ns")]
    [InlineData("Markout10msBps", "markout10ms_bps")]
    [InlineData("NapiPollVarianceUs2", "napi_poll_variance_us2")]
    [InlineData("Host", "host")]
    public void Pascal_case_names_become_snake_case_columns(string name, string column) =>
        Assert.Equal(column, CanonicalSchema.ToSnake(name));
}
