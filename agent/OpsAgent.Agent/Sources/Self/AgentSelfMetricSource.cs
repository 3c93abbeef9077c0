using OpsAgent.Agent.Outbox;
using OpsAgent.Agent.Uplink;

namespace OpsAgent.Agent.Sources.Self;

/// <summary>
/// The agent's own health: its memory and CPU, its outbox (queued, dropped) and its uplink (connected, rejected),
/// so that an agent that is falling behind or losing data shows it in the same place as everything else.
/// </summary>
internal sealed class AgentSelfMetricSource(IOutbox outbox, UplinkStatistics uplink, SourceErrorCounter errors) : IMetricSource
{
    public string Name => "agent.self";

    public void Collect(MetricBuffer buffer)
    {
        buffer.Gauge("process.memory.usage", "By", Environment.WorkingSet);
        buffer.Counter("process.cpu.time", "s", Math.Round(Environment.CpuUsage.TotalTime.TotalSeconds, 3));

        OutboxStatistics stats = outbox.GetStatistics();
        buffer.Gauge("opsagent.outbox.batches", "{batch}", stats.Batches);
        buffer.Gauge("opsagent.outbox.usage", "By", stats.Bytes);
        buffer.Gauge("opsagent.outbox.limit", "By", stats.MaxBytes);
        buffer.Gauge("opsagent.outbox.memory.usage", "By", stats.MemoryBytes);
        buffer.Gauge("opsagent.outbox.memory.limit", "By", stats.MaxMemoryBytes);
        buffer.Counter("opsagent.outbox.acknowledged", "{batch}", stats.AcknowledgedBatches);
        buffer.Counter("opsagent.outbox.damaged", "{record}", stats.DamagedRecords);
        buffer.Counter("opsagent.outbox.quarantined", "{file}", stats.QuarantinedFiles);
        buffer.Counter("opsagent.outbox.write.errors", "{batch}", stats.WriteFailures);
        foreach ((OutboxLane lane, long dropped) in stats.DroppedBatches)
        {
            buffer.Counter("opsagent.outbox.dropped", "{batch}", dropped, new MetricLabel("lane", OutboxLaneNames.Name(lane)));
        }

        buffer.Gauge("opsagent.uplink.connected", "1", uplink.Connected ? 1 : 0);
        buffer.Counter("opsagent.uplink.connects", "{connection}", uplink.Connects);
        buffer.Counter("opsagent.uplink.batches.sent", "{batch}", uplink.BatchesSent);
        buffer.Counter("opsagent.uplink.batches.rejected", "{batch}", uplink.BatchesRejected);
        buffer.Counter("opsagent.uplink.items.rejected", "{item}", uplink.ItemsRejected);
        buffer.Counter("opsagent.uplink.oversized.dropped", "{batch}", uplink.OversizedDropped);
        foreach ((string source, long count) in errors.Counts)
        {
            buffer.Counter("opsagent.source.errors", "{error}", count, new MetricLabel("source", source));
        }
    }
}
