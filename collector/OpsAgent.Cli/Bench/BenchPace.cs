namespace OpsAgent.Cli.Bench;

/// <summary>How fast the simulated agents send (`--pace`).</summary>
internal enum BenchPace
{
    /// <summary>Like real agents: one batch per agent every interval × samples per batch, in real time.</summary>
    Realtime,

    /// <summary>As fast as acknowledgements and flow control allow; sample times run ahead of the clock from a start in the past.</summary>
    Max,
}
