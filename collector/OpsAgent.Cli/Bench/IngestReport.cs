namespace OpsAgent.Cli.Bench;

/// <summary>The result of `opsctl bench ingest` (also its JSON document, camelCase).</summary>
internal sealed record IngestReport(
    IngestReportRun Run,
    IngestReportThroughput Throughput,
    IngestReportLatency AckLatency,
    IngestReportCollector? Collector,
    IngestReportStore Store,
    IReadOnlyList<string> Problems);
