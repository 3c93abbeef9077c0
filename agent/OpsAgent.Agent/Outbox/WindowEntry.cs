using OpsAgent.Protocol;

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

    /// <summary>
    /// The batch object as the source enqueued it, kept only when a reader was already waiting for it, so that the
    /// next send does not parse back what was just serialized; handed over (and cleared) on the first read.
    /// </summary>
    public TelemetryBatch? Live { get; set; }

    public void MarkAcked()
    {
        Acked = true;
        Record = null;
        Live = null;
    }
}
