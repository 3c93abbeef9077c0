namespace OpsAgent.Agent.Outbox;

/// <summary>
/// One lane of the disk outbox: its segment files (oldest first), the acknowledgement floor, and the send window — a
/// contiguous run of the lane's unacknowledged batches, oldest first, held in memory. Batches after the window are on
/// disk only, from <see cref="CursorSegment"/> / <see cref="CursorOffset"/> on, and are read into the window as it
/// drains, so that memory stays bounded however much waits on disk. Touched only under the outbox's lock.
/// </summary>
internal sealed class LaneState(OutboxLane lane)
{
    private readonly List<WindowEntry> _window = [];
    private int _head;

    public OutboxLane Lane { get; } = lane;

    public List<SegmentFile> Segments { get; } = [];

    /// <summary>The segment new batches are appended to; null until the lane's next batch after start-up or a drop.</summary>
    public SegmentFile? Active { get; set; }

    /// <summary>Every batch of this lane at or below this sequence number is acknowledged (or dropped).</summary>
    public ulong Floor { get; set; }

    /// <summary>Acknowledged batches above <see cref="Floor"/> (acknowledged out of order).</summary>
    public HashSet<ulong> AckedAbove { get; } = [];

    /// <summary>The next record on disk that is not in the window yet; null when the window holds the lane's newest batch.</summary>
    public SegmentFile? CursorSegment { get; set; }

    public long CursorOffset { get; set; }

    /// <summary>Batches held in memory only because they could not be written to disk.</summary>
    public int MemoryOnlyUnacked { get; set; }

    public int WindowCount => _window.Count - _head;

    public WindowEntry? Front => WindowCount > 0 ? _window[_head] : null;

    public bool IsAcked(ulong sequence) => sequence <= Floor || AckedAbove.Contains(sequence);

    public void Append(WindowEntry entry) => _window.Add(entry);

    public WindowEntry PopFront()
    {
        WindowEntry entry = _window[_head];
        _window[_head] = null!;
        _head++;
        if (_head == _window.Count)
        {
            _window.Clear();
            _head = 0;
        }
        else if (_head > 64 && _head * 2 > _window.Count)
        {
            _window.RemoveRange(0, _head);
            _head = 0;
        }

        return entry;
    }

    /// <summary>Takes every entry of <paramref name="segment"/> out of the window (the segment is being dropped).</summary>
    public List<WindowEntry> RemoveEntriesOf(SegmentFile segment)
    {
        var removed = new List<WindowEntry>();
        var kept = new List<WindowEntry>(WindowCount);
        for (int i = _head; i < _window.Count; i++)
        {
            (_window[i].Segment == segment ? removed : kept).Add(_window[i]);
        }

        if (removed.Count > 0)
        {
            _window.Clear();
            _window.AddRange(kept);
            _head = 0;
        }

        return removed;
    }

    /// <summary>The window entry with this sequence number, or null.</summary>
    public WindowEntry? Find(ulong sequence)
    {
        int index = Search(sequence);
        return index < _window.Count && _window[index].Sequence == sequence ? _window[index] : null;
    }

    /// <summary>The first entry above <paramref name="cursor"/> that still waits for its acknowledgement, or null.</summary>
    public WindowEntry? NextAfter(ulong cursor)
    {
        for (int i = Search(cursor + 1); i < _window.Count; i++)
        {
            if (!_window[i].Acked)
            {
                return _window[i];
            }
        }

        return null;
    }

    /// <summary>The first window index whose sequence is at least <paramref name="sequence"/> (sequences ascend in the window).</summary>
    private int Search(ulong sequence)
    {
        int low = _head;
        int high = _window.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_window[mid].Sequence < sequence)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
