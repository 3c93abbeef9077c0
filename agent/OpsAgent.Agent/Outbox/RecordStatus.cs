namespace OpsAgent.Agent.Outbox;

/// <summary>What <see cref="SegmentScanner.TryRead"/> found at an offset.</summary>
internal enum RecordStatus
{
    /// <summary>A whole record whose marker, length and checksum agree.</summary>
    Intact,

    /// <summary>The end of the segment's data.</summary>
    End,

    /// <summary>Bytes that are not an intact record: damage, or a write that was cut short.</summary>
    Damaged,
}
