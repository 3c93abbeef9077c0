using System.Text;

namespace OpsAgent.Collector.Pki;

/// <summary>
/// Reads and writes the collector's secrets: directories 0700, files 0600 (on Unix), written to a temporary file and
/// renamed so a crash never leaves half a key. Windows has no modes; there the data directory's ACL (set by
/// install.ps1 to SYSTEM, Administrators and the service account) protects them.
/// </summary>
internal static class SecureFiles
{
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the directory with mode 0700, or tightens an existing one; returns the mode it had when it was too open.</summary>
    public static UnixFileMode? EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return null;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, PrivateDirectoryMode);
            return null;
        }

        return Tighten(path, PrivateDirectoryMode);
    }

    /// <summary>Writes the file atomically with mode 0600.</summary>
    public static void WriteAllText(string path, string content)
    {
        string temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }

        using (var stream = new FileStream(temp, options))
        {
            if (!OperatingSystem.IsWindows())
            {
                // FileMode.Create keeps the mode of a temp file left by an earlier crash: set it explicitly.
                File.SetUnixFileMode(stream.SafeFileHandle, PrivateFileMode);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(content);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a file that must exist; an unreadable one becomes a <see cref="PkiException"/> naming it.</summary>
    public static string ReadAllText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PkiException(
                $"Cannot read {what} {path}: {ex.Message} Check that the collector's user owns it and may read it (it should be mode 0600).", ex);
        }
    }

    /// <summary>Removes group and other access from a file or directory; returns the old mode when it had any.</summary>
    public static UnixFileMode? Tighten(string path, UnixFileMode wanted)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        UnixFileMode mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) == 0)
        {
            return null;
        }

        File.SetUnixFileMode(path, wanted);
        return mode;
    }

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
