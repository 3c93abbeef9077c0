namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>The real agent process, reporting to a collector every second.</summary>
internal static class AgentProcess
{
    /// <summary>An agent for a collector in insecure mode (an http:// URL): it names itself with <paramref name="agentId"/>.</summary>
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

    /// <summary>
    /// An agent for <paramref name="collector"/> in whichever mode it runs. Secure: the agent enrols with a fresh
    /// single-use token (as an admin would give it one) and then speaks mutual TLS. Insecure: the collector's command
    /// key is pinned by hand (copied into the agent's state directory), so that signed commands verify there too.
    /// </summary>
    public static async Task<ManagedProcess> StartAsync(
        CollectorProcess collector,
        string stateDirectory,
        string agentId,
        IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        if (collector.Secure)
        {
            if (!File.Exists(Path.Combine(stateDirectory, "identity", "agent.pem")))
            {
                env["OPSAGENT_Agent__Enrollment__Token"] = await collector.CreateEnrollmentTokenAsync().ConfigureAwait(false);
            }
        }
        else
        {
            string identity = Path.Combine(stateDirectory, "identity");
            Directory.CreateDirectory(identity);
            File.Copy(Path.Combine(collector.DataDirectory, "pki", "command-signing.pub"), Path.Combine(identity, "command-key.pem"), overwrite: true);
        }

        return Start(collector.GatewayUrl, stateDirectory, agentId, extraArgs, env);
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
