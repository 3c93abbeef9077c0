namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>The JSON form of a run's step attempt.</summary>
internal sealed class StoredAttempt
{
    public int Step { get; set; }

    public string Action { get; set; } = "";

    public string? CommandId { get; set; }

    public int Outcome { get; set; }

    public string Detail { get; set; } = "";

    public long AtMs { get; set; }
}
