namespace OpsAgent.Cli.Invocation;

/// <summary>
/// The process exit codes of opsctl. They are part of the CLI's contract with scripts and CI pipelines:
/// never renumber one, only add new ones. Documented in the project's README.md.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command failed: nothing matched, or the collector reported an error.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown option, bad duration or label, invalid request).</summary>
    public const int Usage = 2;

    /// <summary>The collector could not be reached, did not answer in time, or said it is unavailable. Retrying may help.</summary>
    public const int Unreachable = 3;

    /// <summary>The collector refused the caller's credentials or role.</summary>
    public const int PermissionDenied = 4;

    /// <summary>A command sent to an agent (opsctl exec, opsctl commands show --wait) has not finished within the wait.</summary>
    public const int Pending = 5;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
