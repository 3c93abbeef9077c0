namespace OpsAgent.Agent.Actions.Policy;

/// <summary>Whether the collector may collect diagnostics (top processes, biggest directories) and below which roots.</summary>
internal sealed class DiagnosticsPolicy
{
    /// <summary>Off unless the policy says so: diagnostics reveal process names and directory sizes to the collector.</summary>
    public bool Enabled { get; set; }

    /// <summary>Directories below which the biggest entries may be reported (absolute paths).</summary>
    public List<string> Roots { get; set; } = [];

    public int MaxTopProcesses { get; set; } = 20;

    public int MaxTopEntries { get; set; } = 20;
}
