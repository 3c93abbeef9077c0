namespace OpsAgent.Agent.Actions.Policy;

/// <summary>The scripts directory and which scripts in it the collector may run.</summary>
internal sealed class ScriptPolicy
{
    /// <summary>Absolute path of the directory the scripts must be in (default /etc/opsagent/scripts).</summary>
    public string Directory { get; set; } = PolicyPaths.DefaultScriptsDirectory;

    public List<ScriptRule> Allowed { get; set; } = [];
}
