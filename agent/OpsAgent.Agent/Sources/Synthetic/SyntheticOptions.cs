namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>
/// A deterministic synthetic metric source (configuration section <see cref="SectionName"/>), off unless
/// <see cref="Series"/> is above zero. It exists to test a deployment end to end without waiting for a real fault:
/// every value is a pure function of (seed, series, timestamp), so a test can tell exactly which samples were produced
/// and whether each was stored once, and scheduled faults turn a known stretch of a known series anomalous.
/// </summary>
internal sealed class SyntheticOptions
{
    public const string SectionName = "Agent:Metrics:Synthetic";

    /// <summary>Series to produce per collection cycle (0 = the source is off; at most 100000).</summary>
    public int Series { get; set; }

    /// <summary>Metric name of every series; each carries a label <c>series</c> with its index (0, 1, ...).</summary>
    public string MetricName { get; set; } = "synthetic.signal";

    /// <summary>Seed of the per-sample noise; the same seed gives the same values on every host and every run.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Period of the sine wave every series follows (each with its own phase).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Height of the sine wave above and below each series' base level.</summary>
    public double Amplitude { get; set; } = 10;

    /// <summary>Largest per-sample noise, uniform in [-Noise, +Noise].</summary>
    public double Noise { get; set; } = 1;

    /// <summary>
    /// History produced once, at the first start of this agent (a marker in the state directory remembers it), so that
    /// the collector's detectors have learned the series before the test's fault arrives. At most 7 days.
    /// </summary>
    public TimeSpan Backfill { get; set; }

    /// <summary>
    /// 0 (default): one sample per series per collection cycle, in the cycle's batch. Above 0: the source streams on its
    /// own, this many batches a second (a divisor of 1000), each with one sample per series on a grid of 1000 / N ms, so
    /// that delivery can be tested at a higher rate than the 1 s minimum interval. It never skips a grid point while the
    /// agent runs (after a stall it catches up) and records the last one it enqueued in
    /// <c>StateDirectory/synthetic-progress</c>, so a test can tell exactly what was produced before a crash.
    /// </summary>
    public int BatchesPerSecond { get; set; }

    /// <summary>Scheduled faults, applied on top of the normal signal.</summary>
    public IList<SyntheticFault> Faults { get; set; } = [];
}
