namespace OpsAgent.Collector.Playbooks.Persistence;

/// <summary>The JSON form of a run's trigger.</summary>
internal sealed class StoredTrigger
{
    public int Kind { get; set; }

    public string IncidentId { get; set; } = "";

    public string AgentId { get; set; } = "";

    public string Host { get; set; } = "";

    public Dictionary<string, string> Labels { get; set; } = [];

    public string? Metric { get; set; }

    public string? LogTemplate { get; set; }

    public int Severity { get; set; }

    public long RaisedMs { get; set; }

    public string Summary { get; set; } = "";
}
