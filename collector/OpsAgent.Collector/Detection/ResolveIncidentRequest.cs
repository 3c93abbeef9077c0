namespace OpsAgent.Collector.Detection;

/// <summary>Resolve an open incident now (an operator or a playbook says it is fixed); completes with the result.</summary>
/// <param name="incidentId">The incident.</param>
/// <param name="resolvedBy">Who resolves it ("user:alice", "playbook:disk-cleanup"); empty when not known.</param>
/// <param name="note">Why, for people (what fixed it); empty when none.</param>
internal sealed class ResolveIncidentRequest(long incidentId, string resolvedBy = "", string note = "") : TrackerMessage
{
    public long IncidentId { get; } = incidentId;

    public string ResolvedBy { get; } = resolvedBy;

    public string Note { get; } = note;

    /// <summary>The resolved incident, or null when no open incident has that id.</summary>
    public TaskCompletionSource<IncidentRecord?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
