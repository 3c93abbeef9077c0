namespace OpsAgent.Collector.Detection;

/// <summary>Save every changed detector of the worker now; completes with the number saved.</summary>
internal sealed class CheckpointWork : DetectionWork
{
    public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
