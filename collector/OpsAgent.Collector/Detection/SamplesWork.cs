using OpsAgent.Protocol;

namespace OpsAgent.Collector.Detection;

/// <summary>The series of one committed batch that belong to one worker.</summary>
/// <param name="hostLabels">The agent's static labels when the batch was committed.</param>
/// <param name="series">Store series id and the batch's samples of it (read-only: the batch is shared).</param>
/// <param name="samples">Samples in <paramref name="series"/>, for the drop counters.</param>
internal sealed class SamplesWork(
    string agentId,
    string hostname,
    IReadOnlyDictionary<string, string> hostLabels,
    List<(ulong SeriesId, MetricSeries Series)> series,
    long samples) : DetectionWork
{
    public string AgentId { get; } = agentId;

    public string Hostname { get; } = hostname;

    public IReadOnlyDictionary<string, string> HostLabels { get; } = hostLabels;

    public List<(ulong SeriesId, MetricSeries Series)> Series { get; } = series;

    public long Samples { get; } = samples;
}
