using System.Text.Json.Serialization;

namespace OpsAgent.Agent.Actions.Policy;

/// <summary>
/// The agent's local policy file (/etc/opsagent/policy.json, Windows %ProgramData%\OpsAgent\policy.json): the only
/// actions the agent carries out, whatever the collector asks. Everything not listed here is refused.
/// </summary>
/// <remarks>
/// Bound from JSON by <see cref="PolicyJsonContext"/> (source generated: the agent may be trimmed or AOT compiled),
/// then checked and normalised by <see cref="ActionPolicyValidator"/>; the normalised values are what the actions use.
/// </remarks>
internal sealed class ActionPolicy
{
    /// <summary>Services that may be restarted, stopped or started, and which of those operations.</summary>
    public List<ServiceRule> Services { get; set; } = [];

    /// <summary>Processes (by exact name) that may be signalled, and with which signals.</summary>
    public List<ProcessRule> Processes { get; set; } = [];

    /// <summary>Directories that may be cleaned, with the file patterns and limits that apply.</summary>
    public List<CleanupRule> Cleanup { get; set; } = [];

    public ScriptPolicy Scripts { get; set; } = new();

    public DiagnosticsPolicy Diagnostics { get; set; } = new();

    public ActionTimeouts Timeouts { get; set; } = new();

    /// <summary>Bytes of output (stdout and stderr together, or a report) kept per command; the rest is cut off and flagged.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;

    /// <summary>True when the policy allows at least one action of any kind.</summary>
    [JsonIgnore]
    public bool AllowsAnything =>
        Services.Count > 0 || Processes.Count > 0 || Cleanup.Count > 0 || Scripts.Allowed.Count > 0 || Diagnostics.Enabled;
}
