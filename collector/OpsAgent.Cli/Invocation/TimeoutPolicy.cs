namespace OpsAgent.Cli.Invocation;

/// <summary>Whether --timeout bounds a command. Commands that stream until stopped (watch) opt out.</summary>
internal enum TimeoutPolicy
{
    /// <summary>The whole command, every call included, must finish within --timeout.</summary>
    WholeCommand,

    /// <summary>The command runs until it finishes or the user stops it.</summary>
    None,
}
