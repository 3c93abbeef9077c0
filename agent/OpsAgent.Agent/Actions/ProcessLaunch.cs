namespace OpsAgent.Agent.Actions;

/// <summary>A program to run: its path, its arguments as argv (never a shell command line), where, and with what environment.</summary>
internal sealed record ProcessLaunch(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// The environment of a child on Unix: a fixed PATH and locale, not the agent's own environment, which may hold its
    /// configuration (OPSAGENT_*) and whatever the service manager passed. Windows programs need the system variables
    /// (SystemRoot, ...), so there the agent's environment is inherited and these are added.
    /// </summary>
    public static Dictionary<string, string> BaseEnvironment() =>
        OperatingSystem.IsWindows()
            ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                ["LANG"] = "C.UTF-8",
                ["HOME"] = System.Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : "/",
            };

    /// <summary>The command line as an admin would type it, for reports; each argument quoted when it needs to be.</summary>
    public string Display() => string.Join(' ', new[] { FileName }.Concat(Arguments).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or '@' or ',')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
