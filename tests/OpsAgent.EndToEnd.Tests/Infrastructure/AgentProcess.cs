namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>The real agent process, reporting to a collector every second.</summary>
internal static class AgentProcess
{
    public static ManagedProcess Start(
        string collectorUrl,
        string stateDirectory,
        string agentId,
        IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? environment = null)
    {
        var args = new List<string>
        {
            "--collector", collectorUrl,
            "--state-dir", stateDirectory,
            "--agent-id", agentId,
            "--interval", "1",
            "--Agent:Uplink:ReconnectMinDelay=00:00:00.200",
            "--Agent:Uplink:ReconnectMaxDelay=00:00:02",
            "--config", WriteEmptyConfig(stateDirectory),
        };
        args.AddRange(extraArgs ?? []);
        return ManagedProcess.Start("agent " + agentId, Binaries.Agent, args, environment);
    }

    private static string WriteEmptyConfig(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        string path = Path.Combine(stateDirectory, "agent.json");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "{}");
        }

        return path;
    }
}
