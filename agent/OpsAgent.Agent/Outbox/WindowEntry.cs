namespace OpsAgent.Agent.Outbox;

/// <summary>
/// A batch held in memory for sending: the whole record as written to its segment (header and serialized batch), kept
/// until the collector acknowledges it. <see cref="Segment"/> is null for a batch that could not be written to disk.
/// </summary>
internal sealed class WindowEntry(ulong sequence, byte[] record, SegmentFile? segment)
{
    public ulong Sequence { get; } = sequence;

    /// <summary>Released (null) once acknowledged.</summary>
    public byte[]? Record { get; private set; } = record;

    public int Bytes { get; } = record.Length;

    public SegmentFile? Segment { get; } = segment;

    public bool Acked { get; private set; }

    public void MarkAcked()
    {
        Acked = true;
        Record = null;
    }
}
