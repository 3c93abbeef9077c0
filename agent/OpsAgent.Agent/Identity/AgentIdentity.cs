using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// Who this agent is: a stable id (configured, or generated once and kept in the state directory) and a host name.
/// </summary>
internal sealed class AgentIdentity
{
    private const string IdFileName = "agent-id";

    public AgentIdentity(IOptions<AgentOptions> options)
    {
        AgentOptions o = options.Value;
        Hostname = string.IsNullOrWhiteSpace(o.Hostname) ? Environment.MachineName : o.Hostname;
        AgentId = string.IsNullOrWhiteSpace(o.AgentId) ? LoadOrCreateId(o.StateDirectory) : o.AgentId;
    }

    public string AgentId { get; }

    public string Hostname { get; }

    private static string LoadOrCreateId(string stateDirectory)
    {
        string path = Path.Combine(stateDirectory, IdFileName);
        if (File.Exists(path))
        {
            string existing = File.ReadAllText(path).Trim();
            if (AgentIdFormat.IsValid(existing))
            {
                return existing;
            }

            throw new InvalidDataException(
                $"The agent id file {path} holds '{Truncate(existing)}', which is not a valid agent id. " +
                "Delete the file to let the agent create a new id (the collector will see a new agent), or set Agent:AgentId.");
        }

        Directory.CreateDirectory(stateDirectory);
        // Guid.NewGuid draws from the OS's secure random source without loading OpenSSL, which RandomNumberGenerator
        // does on Linux: 3.7 MB of resident memory for the agent's lifetime, for 8 random bytes once.
        string id = "agent-" + Guid.NewGuid().ToString("N")[..16];
        string temp = path + ".tmp";
        File.WriteAllText(temp, id);
        File.Move(temp, path, overwrite: true);
        return id;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
