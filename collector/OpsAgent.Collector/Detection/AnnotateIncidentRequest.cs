namespace OpsAgent.Collector.Detection;

/// <summary>Sets the note of an incident, open or resolved (a playbook escalated it, or fixed it after it closed by itself).</summary>
internal sealed class AnnotateIncidentRequest(long incidentId, string note) : TrackerMessage
{
    public long IncidentId { get; } = incidentId;

    public string Note { get; } = note;

    /// <summary>The incident with its new note, or null when no incident has that id.</summary>
    public TaskCompletionSource<IncidentRecord?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
