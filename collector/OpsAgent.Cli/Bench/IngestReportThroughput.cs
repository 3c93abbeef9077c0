namespace OpsAgent.Cli.Bench;

/// <summary>What was sent and acknowledged.</summary>
/// <param name="SamplesPerSecond">Samples acknowledged as stored during the sending period, per second of it.</param>
internal sealed record IngestReportThroughput(
    long BatchesSent,
    long BatchesStored,
    long BatchesNotStored,
    long SamplesStored,
    double SamplesPerSecond,
    double OfferedSamplesPerSecond);
