namespace OpsAgent.Cli.Bench;

/// <summary>Time from writing a batch to reading its acknowledgement, over every batch of the run.</summary>
internal sealed record IngestReportLatency(long Count, double P50Ms, double P99Ms, double MaxMs);
