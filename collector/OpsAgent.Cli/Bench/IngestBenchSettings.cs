namespace OpsAgent.Cli.Bench;

/// <summary>What `opsctl bench ingest` simulates.</summary>
/// <param name="Agents">Simulated agents, each with its own gRPC connection and stream.</param>
/// <param name="SeriesPerAgent">Series each agent reports.</param>
/// <param name="Interval">Time between two samples of a series.</param>
/// <param name="Duration">How long the agents send.</param>
/// <param name="SamplesPerBatch">Samples of each series in one batch (1 = one batch per interval, as the agent sends).</param>
/// <param name="Pace">Real time, or as fast as the collector takes it.</param>
/// <param name="MaxInFlight">Batches one agent sends before waiting for acknowledgements (the agent's default is 32).</param>
/// <param name="AgentPrefix">Agent ids are PREFIX-0000, PREFIX-0001, ...; unique per run so that sequence numbers start fresh.</param>
internal sealed record IngestBenchSettings(
    int Agents,
    int SeriesPerAgent,
    TimeSpan Interval,
    TimeSpan Duration,
    int SamplesPerBatch,
    BenchPace Pace,
    int MaxInFlight,
    string AgentPrefix)
{
    /// <summary>Samples per second the agents offer in real time.</summary>
    public double OfferedSamplesPerSecond => Agents * (double)SeriesPerAgent / Interval.TotalSeconds;
}
