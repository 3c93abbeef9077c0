using Microsoft.Extensions.Options;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Sources;

namespace OpsAgent.Agent.Commands;

/// <summary>
/// The command channel's counters as metrics next to the agent's own (agent.self): what arrived, what was rejected
/// and why, how what ran ended, and whether a policy is loaded.
/// </summary>
internal sealed class CommandMetricSource(CommandStatistics statistics, IOptions<LocalPolicy> policy) : IMetricSource
{
    public string Name => "agent.commands";

    public void Collect(MetricBuffer buffer)
    {
        buffer.Counter("opsagent.commands.received", "{command}", statistics.Received);
        foreach ((string reason, long count) in statistics.Rejected)
        {
            buffer.Counter("opsagent.commands.rejected", "{command}", count, new MetricLabel("reason", reason));
        }

        buffer.Counter("opsagent.commands.succeeded", "{command}", statistics.Succeeded);
        buffer.Counter("opsagent.commands.failed", "{command}", statistics.Failed);
        buffer.Counter("opsagent.commands.timed_out", "{command}", statistics.TimedOut);
        buffer.Counter("opsagent.commands.resent", "{command}", statistics.Resent);
        buffer.Counter("opsagent.commands.results.dropped", "{result}", statistics.ResultsDropped);
        buffer.Gauge("opsagent.commands.queued", "{command}", statistics.Queued);
        buffer.Gauge("opsagent.commands.policy.loaded", "1", policy.Value.IsLoaded ? 1 : 0);
    }
}
