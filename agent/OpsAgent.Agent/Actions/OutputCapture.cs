namespace OpsAgent.Agent.Actions;

/// <summary>
/// Collects a child's stdout and stderr, interleaved as they arrive, up to a byte limit; what comes after the limit is
/// read and counted (so the child never blocks on a full pipe) but not kept. Thread-safe.
/// </summary>
internal sealed class OutputCapture(int maxBytes)
{
    // A few bytes beyond the limit let the decoder see a character that the limit cut in two.
    private readonly byte[] _buffer = new byte[maxBytes + 4];
    private readonly Lock _lock = new();
    private int _length;
    private long _total;

    public bool Truncated
    {
        get
        {
            lock (_lock)
            {
                return _total > maxBytes;
            }
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _total += data.Length;
            int room = _buffer.Length - _length;
            if (room > 0)
            {
                ReadOnlySpan<byte> kept = data.Length <= room ? data : data[..room];
                kept.CopyTo(_buffer.AsSpan(_length));
                _length += kept.Length;
            }
        }
    }

    public string ToText()
    {
        lock (_lock)
        {
            return BoundedText.Decode(_buffer.AsSpan(0, _length), maxBytes);
        }
    }
}
