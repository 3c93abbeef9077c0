namespace OpsAgent.Collector.Detection;

/// <summary>Settings of streaming anomaly detection, bound from the <c>Collector:Detection</c> configuration section.</summary>
/// <remarks>
/// The detector itself has no knobs here on purpose: every series runs the same default detector that
/// <c>opsctl eval nab</c> measures. What an operator may tune is how scores become alerts (<see cref="Alert"/>),
/// when a trend becomes an early warning (<see cref="Forecast"/>), which series are watched, and the resources
/// detection may use.
/// </remarks>
public sealed class DetectionOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Collector:Detection";

    /// <summary>Whether committed samples are scored at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Detection workers, each owning a fixed share of the series; 0 picks one per processor (at most 8).</summary>
    public int Workers { get; set; }

    /// <summary>
    /// Samples a new series' detector learns from before its scores may raise anomalies (about 2.8 hours at a 10-second
    /// interval). Until its range and shapes have been seen, everything a series does is new to its detector; this is
    /// NAB's probationary period, applied per series. Exhaustion forecasts are not held back (they need MinHistory).
    /// </summary>
    public int LearningSamples { get; set; } = 1000;

    /// <summary>Slices of committed batches waiting per worker; beyond it samples are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>
    /// Most series with a detector in memory (about 25 KiB each). Samples of further series are not scored and are
    /// counted; idle series give their place back after <see cref="IdleAfter"/>.
    /// </summary>
    public int MaxSeries { get; set; } = 10_000;

    /// <summary>How often every changed detector is saved to the store, so that a restart does not relearn from zero.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A series that sends nothing for this long is saved and dropped from memory; it is reloaded when it returns.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An open anomaly whose series sends nothing for this long is resolved as "no data".</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// An anomaly whose scores calmed down but whose level stays outside the band that was usual before it is resolved
    /// as "settled" (the new level is accepted as normal) after this long.
    /// </summary>
    public TimeSpan SettleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Anomalies of one host that overlap in time form one incident; the incident closes when all have recovered and
    /// none came back for this long (an anomaly that flaps back within it rejoins the same incident).
    /// </summary>
    public TimeSpan IncidentMergeGap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Resolved anomalies and incidents older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Metric name globs (<c>*</c> matches any run of characters) never watched, in addition to the built-in ones:
    /// <c>system.uptime</c>, <c>*.limit</c>, <c>system.cpu.logical.count</c> and <c>system.cpu.time</c>.
    /// </summary>
    public IList<string> Exclude { get; set; } = [];

    /// <summary>When not empty, only series whose name matches one of these globs are watched.</summary>
    public IList<string> Include { get; set; } = [];

    /// <summary>Events buffered per live watcher (opsctl watch); a slower watcher loses the oldest and is told how many.</summary>
    public int WatchQueueCapacity { get; set; } = 1024;

    /// <summary>How scores become anomalies and when anomalies end.</summary>
    public DetectionAlertOptions Alert { get; set; } = new();

    /// <summary>When a resource that runs out (disk, inodes, memory) gets an early warning.</summary>
    public DetectionForecastOptions Forecast { get; set; } = new();

    /// <summary>Workers actually started: <see cref="Workers"/>, or one per processor up to 8 when it is 0.</summary>
    public int EffectiveWorkers => Workers > 0 ? Workers : Math.Clamp(Environment.ProcessorCount, 1, 8);
}
