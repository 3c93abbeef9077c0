namespace OpsAgent.Agent.Uplink;

/// <summary>
/// Reconnect delays that double per consecutive failure up to a ceiling, with "full jitter": each delay is drawn
/// uniformly between half the current step and the step, so that a fleet cut off by one collector restart does not
/// reconnect in lockstep.
/// </summary>
internal sealed class ExponentialBackoff(TimeSpan min, TimeSpan max, Random random)
{
    private int _failures;

    public int ConsecutiveFailures => _failures;

    public TimeSpan Next()
    {
        double step = min.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30));
        step = Math.Min(step, max.TotalMilliseconds);
        _failures++;
        double jittered = (step / 2) + (random.NextDouble() * step / 2);
        return TimeSpan.FromMilliseconds(Math.Max(jittered, 1));
    }

    public void Reset() => _failures = 0;
}
