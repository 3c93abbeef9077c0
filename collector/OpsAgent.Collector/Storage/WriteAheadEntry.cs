namespace OpsAgent.Collector.Storage;

/// <summary>The samples of one series in one write-ahead record.</summary>
internal readonly record struct WriteAheadEntry(ulong SeriesId, long[] Timestamps, double[] Values);
