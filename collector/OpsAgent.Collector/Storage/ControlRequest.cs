namespace OpsAgent.Collector.Storage;

/// <summary>A checkpoint or maintenance pass, run by the writer between group commits.</summary>
internal sealed class ControlRequest(ControlKind kind) : WriterRequest
{
    public ControlKind Kind { get; } = kind;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
