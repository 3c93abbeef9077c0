using OpsAgent.Collector.Ingest;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Gateway;

/// <summary>Checks a Hello before the collector records anything about the agent that sent it.</summary>
internal static class HelloValidator
{
    private const int MaxLabels = 32;
    private const int MaxCapabilities = 64;

    /// <summary>Returns what is wrong, or null when the Hello is acceptable.</summary>
    public static string? Validate(Hello hello, IngestOptions limits)
    {
        if (!IsValidAgentId(hello.AgentId))
        {
            return "agent_id must be 1 to 64 characters from a-z, A-Z, 0-9, '-', '_' and '.'";
        }

        if (hello.Hostname.Length is 0 or > 253)
        {
            return "hostname must be 1 to 253 characters";
        }

        if (hello.AgentVersion.Length > 64)
        {
            return "agent_version is longer than 64 characters";
        }

        if (hello.Labels.Count > MaxLabels)
        {
            return $"{hello.Labels.Count} labels; at most {MaxLabels} are allowed";
        }

        foreach ((string key, string value) in hello.Labels)
        {
            if (!BatchValidator.IsValidLabelName(key, limits.MaxLabelNameLength))
            {
                return $"label name '{(key.Length > 64 ? key[..64] : key)}' is invalid";
            }

            if (key is "host" or "agent_id")
            {
                return $"label '{key}' is reserved for the collector";
            }

            if (value.Length > limits.MaxLabelValueLength)
            {
                return $"label '{key}' has a value longer than {limits.MaxLabelValueLength} characters";
            }
        }

        if (hello.Capabilities.Count > MaxCapabilities || hello.Capabilities.Any(c => c.Length > 64))
        {
            return "too many or too long capabilities";
        }

        HostFacts? host = hello.Host;
        if (host is not null && (host.Os.Length > 64 || host.OsVersion.Length > 256 || host.Kernel.Length > 128 || host.Arch.Length > 32 || host.MachineId.Length > 128))
        {
            return "host facts have over-long fields";
        }

        return null;
    }

    public static bool IsValidAgentId(string id)
    {
        if (id.Length is 0 or > 64)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
