using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// A series as it arrives in a batch, used to probe the series dictionary without building a <see cref="SeriesKey"/>
/// (no string or array allocated per series per batch on the ingest path).
/// </summary>
internal readonly record struct SeriesLookup(long AgentKey, MetricSeries Series);
