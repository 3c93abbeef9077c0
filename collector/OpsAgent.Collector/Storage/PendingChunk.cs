namespace OpsAgent.Collector.Storage;

/// <summary>
/// A chunk closed in memory and not yet committed to the chunks table (it is written at the start of the next group
/// commit; until then the write-ahead records cover it). Queries read it from memory; once it has a row id, a query
/// that also finds that row in the database skips the in-memory copy.
/// </summary>
internal sealed class PendingChunk(SeriesState series, long[] timestamps, double[] values, int count, long frontierWal, int frontierSkip)
{
    private long _rowId;

    public SeriesState Series { get; } = series;

    public long[] Timestamps { get; } = timestamps;

    public double[] Values { get; } = values;

    public int Count { get; } = count;

    /// <summary>Write-ahead position this chunk persists the series up to (see <see cref="SeriesState.AppendedWal"/>).</summary>
    public long FrontierWal { get; } = frontierWal;

    public int FrontierSkip { get; } = frontierSkip;

    public long StartMs => Timestamps[0];

    public long EndMs => Timestamps[Count - 1];

    /// <summary>Row id in the chunks table once inserted (possibly not yet committed), else 0.</summary>
    public long RowId
    {
        get => Volatile.Read(ref _rowId);
        set => Volatile.Write(ref _rowId, value);
    }
}
