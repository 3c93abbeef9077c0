using OpsAgent.Collector.Detection;
using MetricKind = OpsAgent.Protocol.MetricKind;

namespace OpsAgent.Collector.Tests.Detection;

public sealed class SeriesDetectorTests
{
    private static readonly DetectionSettings Settings = DetectionSettings.From(new DetectionOptions());

    private static SeriesDetector Gauge(string name = "system.cpu.utilization", string unit = "1", SeriesTreatment treatment = SeriesTreatment.Detect) =>
        new(Identity(name, MetricKind.Gauge, unit), treatment, Settings);

    private static SeriesIdentity Identity(string name, MetricKind kind, string unit, params (string Key, string Value)[] labels) =>
        new(7, "a-1", "web-1", name, [.. labels.Select(l => KeyValuePair.Create(l.Key, l.Value))], kind, unit, new Dictionary<string, string> { ["env"] = "prod" });

    private static List<AnomalySignal> Run(SeriesDetector detector, long[] timestamps, double[] values)
    {
        var signals = new List<AnomalySignal>();
        detector.Process(timestamps, values, signals);
        return signals;
    }

    private static int IndexOf(long[] timestamps, long unixMs) => Array.IndexOf(timestamps, unixMs);

    [Fact]
    public void Process_Spike_OpensCriticalAnomalyOnTheSpikeAndRecovers()
    {
        long[] t = Signals.Timestamps(2000);
        double[] v = Signals.Cycle(2000, 50, 20, 1, seed: 1);
        v[1500] += 80;

        List<AnomalySignal> signals = Run(Gauge(), t, v);

        AnomalySignal opened = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Opened);
        Assert.Equal(1500, IndexOf(t, opened.Anomaly.StartedUnixMs));
        Assert.Equal(AlertSeverity.Critical, opened.Anomaly.Severity);
        Assert.Equal(v[1500], opened.Anomaly.Value);
        Assert.InRange(opened.Anomaly.UsualHigh, 60, 75);
        AnomalySignal resolved = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Resolved);
        Assert.Equal(Resolution.Recovered, resolved.Anomaly.Resolution);
        Assert.Equal(t[1500], resolved.Anomaly.LastAnomalousUnixMs);
        // Resolved once scores stayed calm for ClearAfter (15 minutes: 90 samples), not before.
        Assert.InRange(IndexOf(t, resolved.Anomaly.ResolvedUnixMs), 1590, 1600);
    }

    [Fact]
    public void Process_LevelShiftThatPersists_StaysOpenWhileTheLevelIsOffThenSettles()
    {
        long[] t = Signals.Timestamps(2400);
        double[] v = Signals.Shift(Signals.Cycle(2400, 50, 20, 1, seed: 2), 1500, 2400, 60);

        List<AnomalySignal> signals = Run(Gauge(), t, v);

        AnomalySignal opened = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Opened);
        Assert.InRange(IndexOf(t, opened.Anomaly.StartedUnixMs), 1500, 1505);
        AnomalySignal resolved = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Resolved);
        Assert.Equal(Resolution.Settled, resolved.Anomaly.Resolution);
        // Calm after ClearAfter (90 samples), then SettleAfter (1 hour: 360 samples) with the level still off.
        Assert.InRange(IndexOf(t, resolved.Anomaly.ResolvedUnixMs), 1500 + 90 + 360, 1500 + 90 + 360 + 60);
        Assert.True(resolved.Anomaly.LastAnomalousUnixMs >= resolved.Anomaly.ResolvedUnixMs - Signals.StepMs, "the level stayed outside the usual band to the end");
        Assert.Contains(signals, s => s.Kind == AnomalySignalKind.Updated);
    }

    [Fact]
    public void Process_LevelShiftThatEnds_RecoversAfterTheLevelReturns()
    {
        long[] t = Signals.Timestamps(2200);
        double[] v = Signals.Shift(Signals.Cycle(2200, 50, 20, 1, seed: 3), 1500, 1700, 60);

        List<AnomalySignal> signals = Run(Gauge(), t, v);

        AnomalySignal resolved = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Resolved);
        Assert.Equal(Resolution.Recovered, resolved.Anomaly.Resolution);
        Assert.InRange(IndexOf(t, resolved.Anomaly.ResolvedUnixMs), 1700, 1700 + 90 + 30);
        Assert.InRange(IndexOf(t, resolved.Anomaly.LastAnomalousUnixMs), 1699, 1700 + 90 + 30);
    }

    [Fact]
    public void Process_MetricFreezes_StaysOpenUntilItMovesAgain()
    {
        long[] t = Signals.Timestamps(2600);
        double[] v = Signals.Cycle(2600, 50, 20, 2, seed: 4);
        for (int i = 1500; i < 1800; i++)
        {
            v[i] = v[1499];
        }

        List<AnomalySignal> signals = Run(Gauge(), t, v);

        AnomalySignal opened = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Opened);
        Assert.InRange(IndexOf(t, opened.Anomaly.StartedUnixMs), 1500, 1800);
        AnomalySignal resolved = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Resolved);
        Assert.Equal(Resolution.Recovered, resolved.Anomaly.Resolution);
        Assert.True(IndexOf(t, resolved.Anomaly.ResolvedUnixMs) >= 1800, "not recovered while still frozen");
    }

    [Fact]
    public void Process_CounterBurst_ScoresTheRateNotTheCumulativeValue()
    {
        var rate = Signals.Cycle(2000, 100, 20, 2, seed: 5);
        for (int i = 1500; i < 1506; i++)
        {
            rate[i] = 1000;
        }

        long[] t = Signals.Timestamps(2000);
        var detector = new SeriesDetector(Identity("system.network.io", MetricKind.Counter, "By"), SeriesTreatment.Detect | SeriesTreatment.Rate, Settings);

        List<AnomalySignal> signals = Run(detector, t, Signals.Counter(rate));

        AnomalySignal opened = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Opened);
        Assert.Equal(1500, IndexOf(t, opened.Anomaly.StartedUnixMs));
        Assert.InRange(opened.Anomaly.Value, 990, 1010);
        Assert.Contains("/s", opened.Anomaly.Summary, StringComparison.Ordinal);
        Assert.Equal(1999, detector.Count); // the first sample gives no rate
    }

    [Fact]
    public void Process_CounterReset_IsNotAnAnomaly()
    {
        var rate = Signals.Cycle(2000, 100, 20, 2, seed: 6);
        double[] values = Signals.Counter(rate);
        for (int i = 1500; i < values.Length; i++)
        {
            values[i] -= values[1499]; // the source restarted and counts from zero again
        }

        List<AnomalySignal> signals = Run(
            new SeriesDetector(Identity("system.network.io", MetricKind.Counter, "By"), SeriesTreatment.Detect | SeriesTreatment.Rate, Settings),
            Signals.Timestamps(2000),
            values);

        Assert.DoesNotContain(signals, s => s.Kind == AnomalySignalKind.Opened);
    }

    [Fact]
    public void Process_SamplesNotLaterThanTheLast_AreSkipped()
    {
        SeriesDetector detector = Gauge();
        var signals = new List<AnomalySignal>();

        Assert.Equal(3, detector.Process([1000, 2000, 3000], [1, 2, 3], signals));
        Assert.Equal(1, detector.Process([3000, 2500, 4000], [9, 9, 4], signals));
        Assert.Equal(4, detector.Count);
    }

    [Fact]
    public void Process_FillingFilesystem_WarnsWithTimeLeftAndEndsAfterCleanup()
    {
        // 60 % full, filling by 10 % an hour: full in 4 hours from the start. One sample a minute for 2 hours, then
        // a cleanup down to 30 %.
        const long minute = 60_000;
        int filling = 120;
        var random = new Random(7);
        long[] t = Enumerable.Range(0, filling + 30).Select(i => Signals.StartMs + (i * minute)).ToArray();
        double[] v = Enumerable.Range(0, filling + 30)
            .Select(i => i < filling ? 0.6 + (0.1 * i / 60.0) + (0.002 * (random.NextDouble() - 0.5)) : 0.3 + (0.0001 * i))
            .ToArray();
        var detector = new SeriesDetector(
            Identity("system.filesystem.utilization", MetricKind.Gauge, "1", ("mountpoint", "/var")),
            SeriesTreatment.Detect | SeriesTreatment.Forecast,
            Settings);

        List<AnomalySignal> signals = Run(detector, t, v);

        AnomalySignal opened = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Opened && s.Anomaly.Kind == AnomalyKind.Exhaustion);
        ForecastSnapshot forecast = opened.Anomaly.Forecast!;
        int at = IndexOf(t, opened.Anomaly.RaisedUnixMs);
        Assert.InRange(at, 30, 45); // after MinHistory (30 minutes) of a confident trend
        double expectedHours = 4.0 - (at / 60.0);
        Assert.InRange(forecast.TimeToExhaustionMs / 3_600_000.0, expectedHours * 0.85, expectedHours * 1.15);
        Assert.True(forecast.EarliestMs <= forecast.TimeToExhaustionMs && (forecast.LatestMs < 0 || forecast.LatestMs >= forecast.TimeToExhaustionMs));
        Assert.Equal(AlertSeverity.Critical, opened.Anomaly.Severity); // under CriticalWithin (4 hours)
        Assert.StartsWith("filesystem /var on web-1 full in ~3h", opened.Anomaly.Summary, StringComparison.Ordinal);
        AnomalySignal ended = Assert.Single(signals, s => s.Kind == AnomalySignalKind.Resolved && s.Anomaly.Kind == AnomalyKind.Exhaustion);
        Assert.Equal(filling, IndexOf(t, ended.Anomaly.ResolvedUnixMs));
    }

    [Fact]
    public void ResolveStale_OpenAnomaly_EndsAsNoDataAndJudgesAfresh()
    {
        long[] t = Signals.Timestamps(1600);
        double[] v = Signals.Shift(Signals.Cycle(1600, 50, 20, 1, seed: 8), 1500, 1600, 60);
        SeriesDetector detector = Gauge();
        Run(detector, t, v);
        Assert.True(detector.HasOpenAnomaly);

        var signals = new List<AnomalySignal>();
        detector.ResolveStale(t[^1] + 3_600_000, signals);

        AnomalySignal resolved = Assert.Single(signals);
        Assert.Equal(Resolution.NoData, resolved.Anomaly.Resolution);
        Assert.False(detector.HasOpenAnomaly);
    }

    [Theory]
    [InlineData(1000)] // learning
    [InlineData(1503)] // inside an open anomaly
    [InlineData(1650)] // calm, waiting for the level to come back
    public void Restore_Checkpoint_GivesTheSameSignalsAndState(int at)
    {
        long[] t = Signals.Timestamps(2400);
        double[] v = Signals.Shift(Signals.Cycle(2400, 50, 20, 1, seed: 9), 1500, 1800, 60);
        SeriesDetector original = Gauge();
        Run(original, t[..at], v[..at]);

        SeriesDetector restored = SeriesDetector.Restore(original.Checkpoint(), original.Identity, original.Treatment, Settings);
        List<AnomalySignal> expected = Run(original, t[at..], v[at..]);
        List<AnomalySignal> actual = Run(restored, t[at..], v[at..]);

        Assert.Equal(expected, actual);
        Assert.Equal(original.Checkpoint(), restored.Checkpoint());
    }

    [Fact]
    public void Restore_DifferentTreatmentOrGarbage_ThrowsInvalidData()
    {
        SeriesDetector detector = Gauge();
        Run(detector, Signals.Timestamps(100), Signals.Cycle(100, 50, 20, 1, seed: 10));
        byte[] checkpoint = detector.Checkpoint();

        Assert.Throws<InvalidDataException>(() => SeriesDetector.Restore(checkpoint, detector.Identity, SeriesTreatment.Detect | SeriesTreatment.Rate, Settings));
        Assert.Throws<InvalidDataException>(() => SeriesDetector.Restore(checkpoint.AsSpan(0, checkpoint.Length - 3), detector.Identity, detector.Treatment, Settings));
        Assert.Throws<InvalidDataException>(() => SeriesDetector.Restore([1, 2, 3, 4, 5, 6, 7, 8], detector.Identity, detector.Treatment, Settings));
    }
}
