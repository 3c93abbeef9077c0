using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>One batch waiting for the writer, and how its caller learns the outcome.</summary>
internal sealed class AppendRequest(string agentId, TelemetryBatch batch, int sampleCount) : WriterRequest
{
    public string AgentId { get; } = agentId;

    public TelemetryBatch Batch { get; } = batch;

    public int SampleCount { get; } = sampleCount;

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by the writer: the series each metric resolved to (null for a duplicate batch).</summary>
    public SeriesState?[]? Series { get; set; }
}
