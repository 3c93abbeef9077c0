namespace OpsAgent.Agent.Sources.Host;

/// <summary>One subsystem of a host source (CPU, memory, filesystems, ...), collected independently of the others.</summary>
internal interface IHostCollector
{
    /// <summary>Short name used in error reports ("cpu", "filesystems").</summary>
    string Subsystem { get; }

    /// <summary>
    /// Adds this cycle's samples. Throws when the subsystem cannot be read at all; reports smaller problems
    /// (a malformed line, one filesystem that does not answer) to the buffer itself and carries on.
    /// </summary>
    void Collect(MetricBuffer buffer);
}
