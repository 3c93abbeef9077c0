using System.Text.Json;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>`opsctl bench ingest` against the real collector: the report has its shape and the samples are in the store.</summary>
public sealed class BenchIngestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BenchIngest_BriefRun_ReportsThroughputLatencyCollectorAndStoreAndSamplesAreStored()
    {
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"));
        var environment = new Dictionary<string, string> { ["OPSAGENT_COLLECTOR"] = collector.AdminUrl };

        // No --gateway: opsctl finds it in the collector's endpoints.json (the collector runs on this machine).
        OpsctlResult result = await Opsctl.RunAsync(environment,
            "bench", "ingest", "--agents", "2", "--series", "50", "--interval", "1s", "--duration", "3s", "--agent-prefix", "e2e-bench", "-o", "json");

        Assert.True(result.ExitCode == 0, result.Output);
        JsonElement report = JsonDocument.Parse(result.StandardOutput).RootElement;
        JsonElement run = report.GetProperty("run");
        Assert.Equal(2, run.GetProperty("agents").GetInt32());
        Assert.Equal(50, run.GetProperty("seriesPerAgent").GetInt32());
        Assert.Equal(collector.GatewayUrl + "/", run.GetProperty("gateway").GetString());
        Assert.EndsWith("endpoints.json", run.GetProperty("gatewaySource").GetString(), StringComparison.Ordinal);

        JsonElement throughput = report.GetProperty("throughput");
        long batches = throughput.GetProperty("batchesStored").GetInt64();
        long samples = throughput.GetProperty("samplesStored").GetInt64();
        Assert.InRange(batches, 4, 8);
        Assert.Equal(batches * 50, samples);
        Assert.Equal(0, throughput.GetProperty("batchesNotStored").GetInt64());
        Assert.True(throughput.GetProperty("samplesPerSecond").GetDouble() > 0);
        Assert.Equal(100, throughput.GetProperty("offeredSamplesPerSecond").GetDouble());

        JsonElement latency = report.GetProperty("ackLatency");
        Assert.Equal(batches, latency.GetProperty("count").GetInt64());
        Assert.InRange(latency.GetProperty("p50Ms").GetDouble(), 0.001, latency.GetProperty("p99Ms").GetDouble());

        JsonElement process = report.GetProperty("collector");
        Assert.True(process.GetProperty("rssBytesMax").GetDouble() >= process.GetProperty("rssBytesBefore").GetDouble());
        Assert.True(process.GetProperty("rssBytesBefore").GetDouble() > 10 * 1024 * 1024);
        Assert.True(process.GetProperty("cpuSeconds").GetDouble() > 0);

        JsonElement store = report.GetProperty("store");
        Assert.Equal((ulong)samples, store.GetProperty("samplesAfter").GetUInt64() - store.GetProperty("samplesBefore").GetUInt64());
        Assert.Empty(report.GetProperty("problems").EnumerateArray());

        // The samples are in the store, under the simulated agents.
        StoreStats stats = await collector.Admin.GetStoreStatsAsync(new GetStoreStatsRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(stats.Samples >= (ulong)samples);
        ListAgentsResponse agents = await collector.Admin.ListAgentsAsync(new ListAgentsRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["e2e-bench-0000", "e2e-bench-0001"], agents.Agents.Select(a => a.AgentId).Order(StringComparer.Ordinal));
        QueryMetricsResponse cpu = await collector.Admin.QueryMetricsAsync(
            new QueryMetricsRequest { Name = "system.cpu.utilization", StartUnixMs = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEmpty(cpu.Series);
        Assert.All(cpu.Series.SelectMany(s => s.Values), v => Assert.InRange(v, 0, 1));

        // The table for people says the same.
        OpsctlResult table = await Opsctl.RunAsync(environment,
            "bench", "ingest", "--agents", "1", "--series", "10", "--duration", "1s", "--gateway", collector.GatewayUrl, "--metrics", collector.MetricsUrl);
        Assert.True(table.ExitCode == 0, table.Output);
        Assert.Contains("samples/s stored", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ack latency   p50", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(--gateway)", table.StandardOutput, StringComparison.Ordinal);
    }
}
