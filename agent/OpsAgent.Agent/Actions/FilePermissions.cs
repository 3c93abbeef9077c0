namespace OpsAgent.Agent.Actions;

/// <summary>
/// Checks that a file the agent trusts (its policy, a script it runs as root) cannot be changed by other users: if it
/// could, anyone on the host could widen what the agent does.
/// </summary>
internal static class FilePermissions
{
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>A problem to report, or null when the path is safe (always null on Windows, where ACLs apply).</summary>
    public static string? WritableByOthersProblem(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        if ((mode & WritableByOthers) == 0)
        {
            return null;
        }

        return $"{path} is writable by other users (mode {Octal(mode)}), so anyone on this host could change what the agent does; run: chmod go-w {path}";
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
