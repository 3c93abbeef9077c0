using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;
using static OpsAgent.Collector.Tests.Storage.StoreHarness;

namespace OpsAgent.Collector.Tests.Storage;

/// <summary><see cref="StorageOptions.MaxSeriesPerAgent"/>: label cardinality per agent is bounded, existing series keep flowing.</summary>
public sealed class SeriesLimitTests
{
    private static readonly long T0 = Start.ToUnixTimeMilliseconds();

    private static MetricSeries Request(int id, long t) => Series("http.requests", [t], [1], MetricKind.Gauge, ("request_id", "r" + id));

    [Fact]
    public async Task AppendAsync_NewSeriesBeyondTheLimit_RejectedAndCountedWhileExistingOnesAreStored()
    {
        await using var harness = new StoreHarness(o => o.MaxSeriesPerAgent = 3);
        SqliteTelemetryStore store = await harness.OpenAsync();

        AppendResult first = await store.AppendAsync("noisy", Batch(1, Request(1, T0), Request(2, T0), Request(3, T0), Request(4, T0)), Deadline);
        AppendResult second = await store.AppendAsync("noisy", Batch(2, Request(1, T0 + 1000), Request(5, T0 + 1000)), Deadline);
        AppendResult otherAgent = await store.AppendAsync("quiet", Batch(1, Request(9, T0)), Deadline);

        Assert.Equal(new AppendResult(AppendStatus.Stored, 3, 1, "http.requests"), first);
        Assert.Equal(new AppendResult(AppendStatus.Stored, 1, 1, "http.requests"), second);
        Assert.Equal(new AppendResult(AppendStatus.Stored, 1), otherAgent);
        QueryResult stored = store.Query(Raw("http.requests", T0, T0 + 5000, new LabelMatcher { Key = "agent_id", Value = "noisy" }));
        Assert.Equal(3, stored.Series.Count);
        Assert.Equal(2, stored.Series.Single(s => s.Series.Labels.Contains(new KeyValuePair<string, string>("request_id", "r1"))).Values.Length);
    }

    [Fact]
    public async Task AppendAsync_AfterRestart_LimitCountsTheSeriesAlreadyStored()
    {
        await using var harness = new StoreHarness(o => o.MaxSeriesPerAgent = 2);
        await harness.OpenAsync();
        await harness.Store.AppendAsync("noisy", Batch(1, Request(1, T0), Request(2, T0)), Deadline);
        await harness.ReopenAsync(clean: false);

        AppendResult afterRestart = await harness.Store.AppendAsync("noisy", Batch(2, Request(3, T0 + 1000), Request(1, T0 + 1000)), Deadline);

        Assert.Equal(new AppendResult(AppendStatus.Stored, 1, 1, "http.requests"), afterRestart);
    }
}
