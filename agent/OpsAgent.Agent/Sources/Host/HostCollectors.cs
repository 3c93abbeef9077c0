namespace OpsAgent.Agent.Sources.Host;

/// <summary>Runs the subsystems of a host source so that one failing does not stop the others.</summary>
internal static class HostCollectors
{
    public static void CollectAll(string source, IReadOnlyList<IHostCollector> collectors, MetricBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        ArgumentNullException.ThrowIfNull(buffer);
        foreach (IHostCollector collector in collectors)
        {
            try
            {
                collector.Collect(buffer);
            }
            catch (Exception ex)
            {
                // Deliberately broad: an unreadable file and a parser bug on an unexpected kernel alike must cost
                // only their own subsystem's samples. Nothing is swallowed; the error travels with the cycle.
                buffer.ReportError(source, $"{collector.Subsystem}: {ex.Message}", ex);
            }
        }
    }
}
