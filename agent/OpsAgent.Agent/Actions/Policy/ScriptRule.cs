using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OpsAgent.Agent.Actions.Policy;

/// <summary>One script the collector may run, with optional constraints on its arguments.</summary>
internal sealed class ScriptRule
{
    /// <summary>File name inside the scripts directory (no path).</summary>
    public string Name { get; set; } = "";

    /// <summary>Most arguments a command may pass (0: none).</summary>
    public int MaxArguments { get; set; } = 16;

    /// <summary>A regular expression every argument must match as a whole; absent: any argument (they are never interpreted by a shell).</summary>
    public string? ArgumentPattern { get; set; }

    /// <summary>Overrides <see cref="ActionTimeouts.ScriptSeconds"/> for this script.</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary><see cref="ArgumentPattern"/>, compiled and anchored by the validator.</summary>
    [JsonIgnore]
    public Regex? ArgumentRegex { get; set; }
}
