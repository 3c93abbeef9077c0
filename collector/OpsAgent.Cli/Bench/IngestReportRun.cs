namespace OpsAgent.Cli.Bench;

/// <summary>What ran, against which gateway.</summary>
/// <param name="Pace">realtime or max.</param>
internal sealed record IngestReportRun(
    string Gateway,
    string GatewaySource,
    int Agents,
    int SeriesPerAgent,
    double IntervalSeconds,
    int SamplesPerBatch,
    string Pace,
    double DurationSeconds,
    double ElapsedSeconds);
