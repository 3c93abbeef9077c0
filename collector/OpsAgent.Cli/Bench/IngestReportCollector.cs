namespace OpsAgent.Cli.Bench;

/// <summary>The collector process during the run, from its /metrics endpoint.</summary>
/// <param name="CpuPercent">CPU time used during the run per second of it, in percent of one core.</param>
internal sealed record IngestReportCollector(
    string MetricsUrl,
    double RssBytesBefore,
    double RssBytesMax,
    double RssBytesAfter,
    double CpuSeconds,
    double CpuPercent);
