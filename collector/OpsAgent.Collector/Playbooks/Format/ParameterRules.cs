using System.Globalization;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// What each action parameter may hold. Checked when a playbook is loaded (literal values) and again when a step is
/// rendered (values from templates). The agent's own policy has the last word; these rules catch mistakes early and
/// keep obviously dangerous values (a relative or root path, a leading '-', pid 1) from ever leaving the collector.
/// Each returns null when the value is acceptable, otherwise the problem and the fix.
/// </summary>
internal static class ParameterRules
{
    public const int MaxValueLength = 1024;
    public const int MaxArguments = 32;

    /// <summary>Signals a playbook may send, without the SIG prefix.</summary>
    public static IReadOnlyList<string> Signals { get; } = ["HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM", "STOP", "CONT"];

    public static string? Common(string value)
    {
        if (value.Length == 0)
        {
            return "is empty.";
        }

        if (value.Length > MaxValueLength)
        {
            return $"is {value.Length} characters long; the limit is {MaxValueLength}.";
        }

        return value.Any(char.IsControl) ? $"'{Printable(value)}' contains control characters (newline, tab, ...); remove them." : null;
    }

    public static string? ServiceName(string value)
    {
        if (Common(value) is { } problem)
        {
            return problem;
        }

        bool valid = value.Length <= 256 && char.IsAsciiLetterOrDigit(value[0])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '_' or ':' or '-' or '\\');
        return valid ? null : $"'{value}' is not a service name; use letters, digits and @ . _ : - (e.g. nginx or nginx.service), starting with a letter or digit.";
    }

    public static string? ProcessName(string value)
    {
        if (Common(value) is { } problem)
        {
            return problem;
        }

        return value.Length > 255 || value.Contains('/') || value.Contains('\\') || value[0] == '-'
            ? $"'{value}' is not a process name; give the executable's name without a path (e.g. java), not starting with '-'."
            : null;
    }

    public static string? ProcessId(string value, out int pid)
    {
        pid = 0;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out pid))
        {
            return $"'{Printable(value)}' is not a process id; give a whole number such as 4242.";
        }

        return pid <= 1 ? $"process id {pid} is refused: pid 1 is the init system and 0 or below is not a process." : null;
    }

    /// <summary>Accepts TERM, SIGTERM and sigterm; returns the canonical name (TERM) in <paramref name="canonical"/>.</summary>
    public static string? Signal(string value, out string canonical)
    {
        canonical = value.Trim().ToUpperInvariant();
        if (canonical.StartsWith("SIG", StringComparison.Ordinal))
        {
            canonical = canonical[3..];
        }

        string candidate = canonical;
        return Signals.Contains(candidate)
            ? null
            : $"'{value}' is not a signal a playbook can send; use one of {string.Join(", ", Signals)}." + Suggestions.DidYouMean(candidate.ToLowerInvariant(), Signals.Select(s => s.ToLowerInvariant()));
    }

    public static string? Directory(string value)
    {
        if (Common(value) is { } problem)
        {
            return problem;
        }

        bool unixRooted = value[0] == '/';
        bool windowsRooted = value.Length >= 3 && char.IsAsciiLetter(value[0]) && value[1] == ':' && value[2] is '\\' or '/';
        if (!unixRooted && !windowsRooted)
        {
            return $"'{value}' is not an absolute path; write the full path, e.g. /var/log/myapp.";
        }

        string[] segments = value.Split('/', '\\');
        if (segments.Any(s => s == ".."))
        {
            return $"'{value}' contains '..'; write the directory's real absolute path.";
        }

        return segments.All(s => s.Length == 0 || (windowsRooted && s == segments[0]))
            ? $"'{value}' is the root of a file system; name the directory to work in, e.g. /var/log/myapp."
            : null;
    }

    public static string? FilePattern(string value)
    {
        if (Common(value) is { } problem)
        {
            return problem;
        }

        return value.Contains('/') || value.Contains('\\') || value is "." or ".."
            ? $"'{value}' is not a file name pattern; give a pattern for names inside the directory, e.g. *.log.gz (no '/')."
            : null;
    }

    public static string? ScriptName(string value)
    {
        if (Common(value) is { } problem)
        {
            return problem;
        }

        return value.Contains('/') || value.Contains('\\') || value is "." or ".." || value[0] == '-'
            ? $"'{value}' is not a script name; give the file name of a script in the agent's scripts directory, e.g. rotate-logs.sh."
            : null;
    }

    public static string? Argument(string value) =>
        value.Length > MaxValueLength ? $"is {value.Length} characters long; the limit is {MaxValueLength}."
        : value.Any(char.IsControl) ? $"'{Printable(value)}' contains control characters (newline, tab, ...); remove them."
        : null;

    private static string Printable(string value) =>
        new([.. value.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
