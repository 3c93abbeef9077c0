namespace OpsAgent.Agent.Identity;

/// <summary>
/// Where a background service leaves the reason the agent must stop for good (see <see cref="AgentIdentityException"/>):
/// Program reports it after the host has stopped and exits with code 78, which the systemd unit does not restart on.
/// </summary>
internal sealed class FatalError
{
    private string? _message;

    public string? Message => Volatile.Read(ref _message);

    public void Set(string message) => Interlocked.CompareExchange(ref _message, message, null);
}
