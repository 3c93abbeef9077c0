namespace OpsAgent.Agent.Sources;

/// <summary>
/// A producer of metric samples that the collection loop polls once per interval.
/// </summary>
/// <remarks>
/// Implementations are called from one thread at a time. They keep whatever state they need between calls
/// (previous counter readings to turn into utilisation, for example) and must not throw for a missing or
/// unreadable file of one subsystem: skip that subsystem, report it through <see cref="MetricBuffer.ReportError"/>,
/// and carry on with the rest.
/// </remarks>
internal interface IMetricSource
{
    /// <summary>Short name used in logs and in the agent's own error counters ("linux.host").</summary>
    string Name { get; }

    /// <summary>Adds this interval's samples to <paramref name="buffer"/>.</summary>
    void Collect(MetricBuffer buffer);
}
