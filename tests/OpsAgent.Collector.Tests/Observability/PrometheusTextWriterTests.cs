using OpsAgent.Collector.Observability;

namespace OpsAgent.Collector.Tests.Observability;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Sample_LabelsWithQuotesAndNewlines_AreEscaped()
    {
        var writer = new PrometheusTextWriter();
        writer.Header("x_total", "counter", "Help.");
        writer.Sample("x_total", 3, ("code", "a\"b\nc\\d"));

        Assert.Equal("# HELP x_total Help.\n# TYPE x_total counter\nx_total{code=\"a\\\"b\\nc\\\\d\"} 3\n", writer.ToString());
    }

    [Fact]
    public void WriteTo_AfterActivity_ExportsCountersAndCumulativeHistogram()
    {
        var metrics = new CollectorMetrics();
        metrics.Batch("stored");
        metrics.Batch("stored");
        metrics.RejectedItems("bad_name", 3);
        metrics.AckLatency(TimeSpan.FromMilliseconds(3));
        metrics.AckLatency(TimeSpan.FromSeconds(20));
        var writer = new PrometheusTextWriter();

        metrics.WriteTo(writer);
        string text = writer.ToString();

        Assert.Contains("opsagent_collector_batches_total{outcome=\"stored\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_rejected_items_total{code=\"bad_name\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_ack_latency_seconds_bucket{le=\"0.005\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_ack_latency_seconds_bucket{le=\"10\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_ack_latency_seconds_bucket{le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_ack_latency_seconds_count 2\n", text, StringComparison.Ordinal);
    }
}
