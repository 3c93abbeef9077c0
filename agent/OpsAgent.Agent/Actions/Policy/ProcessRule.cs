namespace OpsAgent.Agent.Actions.Policy;

/// <summary>Processes of one exact name that the collector may signal, and with which signals.</summary>
internal sealed class ProcessRule
{
    /// <summary>The process name as the OS reports it (Linux: the executable's name, e.g. "python3"; no path).</summary>
    public string Name { get; set; } = "";

    /// <summary>Signal names ("TERM", "KILL", "HUP", ...; "SIG" prefix optional), normalised to upper case without "SIG".</summary>
    public List<string> Signals { get; set; } = [];
}
