namespace OpsAgent.Agent.Actions;

/// <summary>
/// The path rules shared by the policy and the actions: absolute paths only, no "." or ".." segments (rejected rather
/// than resolved, so that what the admin reads in a command is what is acted on), and containment by whole segments.
/// </summary>
internal static class AllowedPaths
{
    public static StringComparison Comparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Checks <paramref name="path"/> and returns it without duplicate or trailing separators.</summary>
    public static bool TryNormalize(string? path, out string normalized, out string problem)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(path))
        {
            problem = "the path is empty";
            return false;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            problem = "the path contains a NUL character";
            return false;
        }

        if (!Path.IsPathFullyQualified(path))
        {
            problem = $"'{path}' is not an absolute path";
            return false;
        }

        foreach (string segment in path.Split(SeparatorChars))
        {
            if (segment is "." or "..")
            {
                problem = $"'{path}' contains a '{segment}' segment; name the directory directly";
                return false;
            }
        }

        normalized = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        problem = "";
        return true;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both normalised).</summary>
    public static bool IsSameOrBelow(string path, string root)
    {
        if (path.Equals(root, Comparison))
        {
            return true;
        }

        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, Comparison);
    }

    /// <summary>The segments of <paramref name="path"/> below <paramref name="root"/> (empty when they are the same).</summary>
    public static string[] SegmentsBelow(string path, string root) =>
        path.Length <= root.Length
            ? []
            : path[root.Length..].Split(SeparatorChars, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True for the root of a filesystem ("/", "C:\").</summary>
    public static bool IsFilesystemRoot(string normalized) => string.Equals(Path.GetPathRoot(normalized), normalized, Comparison);

    private static char[] SeparatorChars =>
        OperatingSystem.IsWindows() ? ['\\', '/'] : ['/'];
}
