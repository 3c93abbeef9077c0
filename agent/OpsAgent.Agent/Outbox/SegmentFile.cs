using Microsoft.Win32.SafeHandles;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// One segment file of a lane and what the outbox knows about it: its records' sequence range, how many of them still
/// wait for an acknowledgement, and the handles it is written and read through. Touched only under the outbox's lock.
/// </summary>
internal sealed class SegmentFile(OutboxLane lane, string path, ulong nameSequence)
{
    public OutboxLane Lane { get; } = lane;

    public string Path { get; } = path;

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The sequence number in the file name; segments of a lane are in this order.</summary>
    public ulong NameSequence { get; } = nameSequence;

    public ulong FirstSequence { get; private set; }

    public ulong LastSequence { get; private set; }

    public int Records { get; private set; }

    /// <summary>Records neither acknowledged nor given up as damaged; the segment is deleted when this reaches zero and it is sealed.</summary>
    public int Unacked { get; set; }

    /// <summary>Records of this segment in the send window and not yet acknowledged.</summary>
    public int WindowUnacked { get; set; }

    /// <summary>Bytes of intact data: the header and every record written or found so far.</summary>
    public long Size { get; set; }

    /// <summary>No more records are appended (a newer segment took over, a write failed, or it was found at start-up).</summary>
    public bool Sealed { get; set; }

    /// <summary>Open while the segment is appended to or waits for its fsync.</summary>
    public SafeFileHandle? Writer { get; set; }

    /// <summary>Written since the last fsync.</summary>
    public bool NeedsSync { get; set; }

    /// <summary>Opened when batches are read back from this segment.</summary>
    public SegmentScanner? Reader { get; set; }

    public void AddRecord(ulong sequence, bool acked)
    {
        if (Records == 0)
        {
            FirstSequence = sequence;
        }

        LastSequence = sequence;
        Records++;
        if (!acked)
        {
            Unacked++;
        }
    }

    public void CloseHandles()
    {
        Writer?.Dispose();
        Writer = null;
        Reader?.Dispose();
        Reader = null;
    }
}
