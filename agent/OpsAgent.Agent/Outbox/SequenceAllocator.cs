using System.Globalization;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Hands out batch sequence numbers that never repeat for this agent, across restarts and crashes.
/// </summary>
/// <remarks>
/// The collector stores each (agent, sequence) once, so reusing a number after a restart would make it discard new
/// data as a duplicate. Writing the counter on every batch would cost an fsync per batch; instead the allocator
/// reserves a block (hi/lo): it durably records "numbers below N are taken" before handing out any number below N.
/// A crash wastes at most the rest of one block, which is harmless: gaps are fine, repeats are not.
/// </remarks>
internal sealed class SequenceAllocator
{
    private const ulong BlockSize = 100_000;
    private const string FileName = "sequence";

    private readonly string _path;
    private readonly Lock _lock = new();
    private ulong _next;
    private ulong _reservedUpTo;

    public SequenceAllocator(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        _path = Path.Combine(stateDirectory, FileName);
        _next = ReadReservation(_path);
        if (_next == 0)
        {
            _next = 1;
        }

        _reservedUpTo = _next;
    }

    /// <summary>The next number <see cref="Next"/> will return.</summary>
    public ulong Peek
    {
        get
        {
            lock (_lock)
            {
                return _next;
            }
        }
    }

    public ulong Next()
    {
        lock (_lock)
        {
            if (_next >= _reservedUpTo)
            {
                _reservedUpTo = _next + BlockSize;
                WriteReservation(_path, _reservedUpTo);
            }

            return _next++;
        }
    }

    /// <summary>Never hand out a number at or below <paramref name="sequence"/> (used when an outbox on disk holds higher ones).</summary>
    public void EnsureAbove(ulong sequence)
    {
        lock (_lock)
        {
            if (_next <= sequence)
            {
                _next = sequence + 1;
            }
        }
    }

    private static ulong ReadReservation(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        string text = File.ReadAllText(path).Trim();
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            throw new InvalidDataException(
                $"The sequence file {path} is corrupt ('{(text.Length > 40 ? text[..40] : text)}'). " +
                "Delete it only if the agent's outbox is empty as well: the collector would otherwise treat new batches as duplicates " +
                "until the new numbers pass the old ones.");
        }

        return value;
    }

    private static void WriteReservation(string path, ulong value)
    {
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
