namespace OpsAgent.Agent.Actions.Policy;

/// <summary>
/// The longest each kind of action may run, in seconds. A command may ask for less (timeout_seconds), never for more.
/// </summary>
internal sealed class ActionTimeouts
{
    /// <summary>systemd's own default start timeout is 90 s; a restart that takes longer has failed in all but name.</summary>
    public int ServiceSeconds { get; set; } = 90;

    public int SignalSeconds { get; set; } = 10;

    public int CleanupSeconds { get; set; } = 300;

    public int ScriptSeconds { get; set; } = 300;

    public int DiagnosticsSeconds { get; set; } = 60;
}
