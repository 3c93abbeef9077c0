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

    /// <summary>Set by the writer: new series refused because the agent reached <see cref="StorageOptions.MaxSeriesPerAgent"/>.</summary>
    public int SeriesRejected { get; set; }

    /// <summary>The name of the first refused series, for the ack.</summary>
    public string? FirstRejectedSeries { get; set; }
}
