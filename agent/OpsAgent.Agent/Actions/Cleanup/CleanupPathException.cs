namespace OpsAgent.Agent.Actions.Cleanup;

/// <summary>A directory on the way to the one to clean cannot be used (a link, missing, not a directory); the message says which.</summary>
internal sealed class CleanupPathException(string message, bool denied) : Exception(message)
{
    /// <summary>True when the path is refused on principle (a symbolic link): a policy matter, not a failure.</summary>
    public bool Denied { get; } = denied;
}
