using System.Globalization;
using OpsAgent.Cli.Output;

namespace OpsAgent.Cli.Bench;

/// <summary>The report of `opsctl bench ingest` as lines for a person.</summary>
internal static class IngestReportView
{
    public static IEnumerable<string> Lines(IngestReport report)
    {
        IngestReportRun run = report.Run;
        IngestReportThroughput t = report.Throughput;
        yield return F($"agents {run.Agents} x {run.SeriesPerAgent} series, interval {run.IntervalSeconds}s, {run.SamplesPerBatch} sample(s) per series per batch, pace {run.Pace}, {run.DurationSeconds}s");
        yield return F($"gateway {run.Gateway} ({run.GatewaySource})");
        yield return F($"accepted      {t.SamplesPerSecond,14:N0} samples/s stored (offered in real time: {t.OfferedSamplesPerSecond:N0}/s)");
        yield return F($"batches       {t.BatchesStored,14:N0} stored of {t.BatchesSent:N0} sent ({t.BatchesNotStored:N0} not stored); {t.SamplesStored:N0} samples");
        yield return F($"ack latency   p50 {report.AckLatency.P50Ms:F1} ms, p99 {report.AckLatency.P99Ms:F1} ms, max {report.AckLatency.MaxMs:F1} ms ({report.AckLatency.Count:N0} batches)");
        if (report.Collector is { } c)
        {
            yield return F($"collector     RSS {Bytes(c.RssBytesBefore)} before, {Bytes(c.RssBytesMax)} max, {Bytes(c.RssBytesAfter)} after; CPU {c.CpuSeconds:F1} s ({c.CpuPercent:F0}% of one core)");
        }

        IngestReportStore s = report.Store;
        yield return F($"store         {s.SamplesAfter - s.SamplesBefore:N0} samples added; files {Bytes(s.FileBytesBefore)} -> {Bytes(s.FileBytesAfter)}: {s.BytesPerSampleAdded:F3} bytes/sample added; closed chunks {s.ChunkBytesPerSample:F3} bytes/sample");
        foreach (string problem in report.Problems)
        {
            yield return "problem: " + problem;
        }
    }

    private static string Bytes(double value) => ValueFormatter.Format(value, "By");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
