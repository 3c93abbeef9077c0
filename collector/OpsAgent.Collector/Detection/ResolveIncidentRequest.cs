namespace OpsAgent.Collector.Detection;

/// <summary>Resolve an open incident now (an operator or a playbook says it is fixed); completes with the result.</summary>
internal sealed class ResolveIncidentRequest(long incidentId) : TrackerMessage
{
    public long IncidentId { get; } = incidentId;

    /// <summary>The resolved incident, or null when no open incident has that id.</summary>
    public TaskCompletionSource<IncidentRecord?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
