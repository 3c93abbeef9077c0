namespace OpsAgent.Collector.Storage;

/// <summary>Delta state while writing one write-ahead record.</summary>
internal struct WriteAheadCursor
{
    public ulong PreviousSeriesId;
    public long PreviousFirstTimestamp;
    public int Entries;
}
