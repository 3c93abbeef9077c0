using System.Text;
using Microsoft.Win32.SafeHandles;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// Reads small kernel text files (procfs, sysfs) into buffers that are reused from cycle to cycle, so that reading
/// a dozen files a second costs no garbage beyond the file handle.
/// </summary>
/// <remarks>Not thread-safe: one reader per collecting thread. A returned span is valid until the next read.</remarks>
internal sealed class ProcFileReader
{
    // Far above any procfs text file we read (a host with 10,000 mounts has a mountinfo of about 1.5 MB); the cap
    // only stops a wrong path (a device node, say) from growing the buffers without end.
    private const int MaxFileBytes = 16 * 1024 * 1024;

    private byte[] _bytes = new byte[8 * 1024];
    private char[] _chars = new char[8 * 1024];

    /// <summary>Reads the whole file as UTF-8 text. Throws <see cref="IOException"/> when it cannot.</summary>
    public ReadOnlySpan<char> ReadAll(string path)
    {
        int length = ReadBytes(path);
        if (_chars.Length < length)
        {
            // UTF-8 never decodes to more chars than it has bytes.
            _chars = new char[_bytes.Length];
        }

        int chars = Encoding.UTF8.GetChars(_bytes.AsSpan(0, length), _chars);
        return _chars.AsSpan(0, chars);
    }

    /// <summary>Reads the whole file, or returns false when it (or its directory) does not exist.</summary>
    public bool TryReadAll(string path, out ReadOnlySpan<char> text)
    {
        try
        {
            text = ReadAll(path);
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            text = default;
            return false;
        }
    }

    private int ReadBytes(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int length = 0;
        while (true)
        {
            if (length == _bytes.Length)
            {
                if (_bytes.Length >= MaxFileBytes)
                {
                    throw new IOException($"{path} is larger than {MaxFileBytes} bytes; it is not a kernel text file.");
                }

                Array.Resize(ref _bytes, _bytes.Length * 2);
            }

            // procfs and sysfs report a size of 0, so read until end of file rather than trusting the length.
            int read = RandomAccess.Read(handle, _bytes.AsSpan(length), length);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length;
    }
}
