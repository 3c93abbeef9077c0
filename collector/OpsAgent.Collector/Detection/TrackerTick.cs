namespace OpsAgent.Collector.Detection;

/// <summary>Time passed: close incidents whose merge gap ran out, resolve anomalies nobody reports on any more.</summary>
internal sealed class TrackerTick(long nowUnixMs) : TrackerMessage
{
    public long NowUnixMs { get; } = nowUnixMs;
}
