namespace OpsAgent.Agent.Configuration;

/// <summary>Where the agent looks for its files by default, per operating system.</summary>
internal static class AgentPaths
{
    /// <summary>Environment variable that points the agent at another configuration file.</summary>
    public const string ConfigFileVariable = "OPSAGENT_CONFIG";

    public static string DefaultConfigFile => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "OpsAgent", "agent.json")
        : "/etc/opsagent/agent.json";

    public static string DefaultStateDirectory => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "OpsAgent", "state")
        : "/var/lib/opsagent";
}
