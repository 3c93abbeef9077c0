using System.Text.Json.Serialization;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Policy;

/// <summary>A service the collector may ask to restart, stop or start.</summary>
internal sealed class ServiceRule
{
    /// <summary>The systemd unit ("nginx" or "nginx.service") or Windows service name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Any of "restart", "stop", "start". Required: nothing is implied.</summary>
    public List<string> Operations { get; set; } = [];

    /// <summary>The operations, parsed by the validator.</summary>
    [JsonIgnore]
    public HashSet<ServiceAction.Types.Operation> AllowedOperations { get; } = [];
}
