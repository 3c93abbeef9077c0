using OpsAgent.Protocol;

namespace OpsAgent.Agent.Outbox;

/// <summary>A batch waiting in the outbox, with the sequence number it keeps until the collector acknowledges it.</summary>
internal sealed record OutboxEntry(ulong Sequence, OutboxLane Lane, TelemetryBatch Batch, int SizeBytes);
