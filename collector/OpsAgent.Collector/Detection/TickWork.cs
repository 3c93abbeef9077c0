namespace OpsAgent.Collector.Detection;

/// <summary>Time passed: resolve anomalies of series that went silent and drop idle series from memory.</summary>
internal sealed class TickWork(long nowUnixMs) : DetectionWork
{
    public long NowUnixMs { get; } = nowUnixMs;
}
