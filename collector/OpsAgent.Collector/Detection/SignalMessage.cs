namespace OpsAgent.Collector.Detection;

/// <summary>An anomaly signal from a detection worker.</summary>
internal sealed class SignalMessage(AnomalySignal signal) : TrackerMessage
{
    public AnomalySignal Signal { get; } = signal;
}
