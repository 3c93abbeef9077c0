namespace OpsAgent.Collector.Commands;

/// <summary>The dispatcher refused a request from the admin API; the message says why and what to do.</summary>
internal sealed class CommandDispatchException(CommandDispatchFailure failure, string message) : Exception(message)
{
    public CommandDispatchFailure Failure { get; } = failure;
}
