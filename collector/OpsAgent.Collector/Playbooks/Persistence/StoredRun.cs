namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>The JSON form of a run in <c>playbook_runs.data</c>. Times are unix milliseconds.</summary>
internal sealed class StoredRun
{
    public int Version { get; set; } = 1;

    public string RunId { get; set; } = "";

    public string PlaybookSource { get; set; } = "";

    public StoredTrigger Trigger { get; set; } = new();

    public int State { get; set; }

    public int StepIndex { get; set; }

    public string CurrentAction { get; set; } = "";

    public byte[]? Command { get; set; }

    public long? DeadlineMs { get; set; }

    public bool SignalRecovered { get; set; }

    public string? ApprovedBy { get; set; }

    public long StartedMs { get; set; }

    public long UpdatedMs { get; set; }

    public long? EndedMs { get; set; }

    public int? Outcome { get; set; }

    public string? Reason { get; set; }

    public List<StoredAttempt> Attempts { get; set; } = [];
}
