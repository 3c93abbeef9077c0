namespace OpsAgent.Cli.Invocation;

/// <summary>
/// A failure that opsctl explains to the user itself: the message is printed as is, after "opsctl: ",
/// and the process exits with <see cref="ExitCode"/>. No stack trace unless --verbose.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    /// <summary>The command line is wrong; the message says which option and what would be right.</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>The request was fine but the command could not do its job.</summary>
    public static CliException Failed(string message) => new(ExitCodes.Failed, message);
}
