namespace OpsAgent.Agent.Actions.Policy;

/// <summary>
/// The policy file as loaded at start-up. Registered as options with ValidateOnStart so that a bad policy stops the
/// agent with the same one-line-per-problem report (exit code 78) as a bad agent.json.
/// </summary>
internal sealed class LocalPolicy
{
    /// <summary>The file that was read (or looked for).</summary>
    public string Path { get; set; } = "";

    /// <summary>The checked and normalised policy; null when the file does not exist or is invalid: then no action is allowed.</summary>
    public ActionPolicy? Policy { get; set; }

    /// <summary>Every problem found, each naming the key and the fix.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>True when a valid policy file was loaded (it may still allow nothing).</summary>
    public bool IsLoaded => Policy is not null;
}
