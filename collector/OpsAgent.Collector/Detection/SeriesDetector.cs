using OpsAgent.Analysis.Alerting;
using OpsAgent.Analysis.Detection;
using OpsAgent.Analysis.Forecasting;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Everything detection keeps for one series: the default detector, the alert state machine that turns its scores into
/// anomalies, an exhaustion forecaster for resources that run out, the counter-to-rate state, and the anomalies it has
/// open. Not thread-safe: owned by one detection worker.
/// </summary>
/// <remarks>
/// <para>When an anomaly ends. The detector adapts: a level shift that persists stops scoring once the series' usual
/// range includes it, so "scores calmed down" alone would close an anomaly while the level is still wrong — an incident
/// resolved that a playbook's verification must not believe. An anomaly therefore ends as
/// <see cref="Resolution.Recovered"/> only when the alert state machine has cleared (scores below the clear threshold
/// for ClearAfter: hysteresis) and the recent level is back in the band that was usual before the anomaly (frozen at
/// its start) and the series moves again (not frozen). When scores stay calm but the level does not come back for
/// SettleAfter, the new level is accepted (<see cref="Resolution.Settled"/>). This is how hosted anomaly monitors
/// resolve too: back within bounds for a recovery window.</para>
/// <para>Coming back is news to the detector too: a level that returns after hours elsewhere scores as a shift. A
/// raise within Hold of a recovery whose level is inside the band that anomaly recovered to is that return, not a new
/// anomaly, and is not reported.</para>
/// <para>Samples must arrive in time order per series; one not later than the last is skipped (a resend or a clock step
/// back) so that the alert timing stays monotonic.</para>
/// </remarks>
internal sealed class SeriesDetector
{
    private const int CheckpointMagic = 0x4F41_5344; // "OASD"
    private const int CheckpointVersion = 1;

    private readonly DetectionSettings _settings;
    private AnomalyDetector _detector = new();
    private AlertStateMachine _alert;
    private ExhaustionForecaster? _forecaster;
    private CounterRate _rate;
    private long _lastSampleMs = long.MinValue;
    private DetectorBaseline _usual = new(double.NaN, double.NaN, double.NaN, 0, false);
    private OpenAnomaly? _metric;
    private OpenAnomaly? _exhaustion;
    private long _recoveredAtMs = long.MinValue / 2;
    private double _recoveredLow = double.NaN;
    private double _recoveredHigh = double.NaN;

    public SeriesDetector(SeriesIdentity identity, SeriesTreatment treatment, DetectionSettings settings)
    {
        Identity = identity;
        Treatment = treatment;
        _settings = settings;
        _alert = new AlertStateMachine(settings.Alert);
        _forecaster = treatment.HasFlag(SeriesTreatment.Forecast) ? new ExhaustionForecaster(settings.Forecast) : null;
    }

    /// <summary>The series as anomalies describe it (refreshed when the agent's hostname or labels change).</summary>
    public SeriesIdentity Identity { get; set; }

    public SeriesTreatment Treatment { get; }

    /// <summary>Wall-clock time of the last samples handed to this detector (for idle eviction and staleness).</summary>
    public long LastReceivedWallMs { get; set; }

    /// <summary>Changed since it was last saved.</summary>
    public bool Dirty { get; private set; }

    public bool HasOpenAnomaly => _metric is not null || _exhaustion is not null;

    /// <summary>Samples scored by the detector (for tests and the restore check).</summary>
    public long Count => _detector.Count;

    /// <summary>Scores the samples in order; adds a signal for every anomaly that opens, changes or ends. Returns samples scored.</summary>
    public int Process(IReadOnlyList<long> timestamps, IReadOnlyList<double> values, List<AnomalySignal> signals)
    {
        int n = Math.Min(timestamps.Count, values.Count);
        int scored = 0;
        for (int i = 0; i < n; i++)
        {
            long t = timestamps[i];
            double x = values[i];
            if (t <= _lastSampleMs)
            {
                continue;
            }

            _lastSampleMs = t;
            Dirty = true;
            if (Treatment.HasFlag(SeriesTreatment.Rate) && !_rate.TryNext(t, x, out x))
            {
                continue;
            }

            if (!double.IsFinite(x))
            {
                continue;
            }

            double score = _detector.Update(t, x);
            scored++;
            if (_detector.Count <= _settings.LearningSamples)
            {
                // Still learning what this series does: everything is new to the detector, nothing is news yet.
                score = 0;
            }

            DetectorBaseline baseline = _detector.Baseline;
            if (_metric is null && !_alert.IsPending && score < _settings.Alert.RaiseThreshold)
            {
                // The last picture of "usual" before any evidence: what recovery is measured against.
                _usual = baseline;
            }

            AlertTransition transition = _alert.Update(t, score);
            TrackMetric(t, x, score, baseline, transition, signals);
            if (_forecaster is not null)
            {
                TrackExhaustion(t, x, signals);
            }
        }

        return scored;
    }

    /// <summary>Ends every open anomaly as <see cref="Resolution.NoData"/>: the series stopped reporting.</summary>
    public void ResolveStale(long atMs, List<AnomalySignal> signals)
    {
        if (_metric is { } metric)
        {
            signals.Add(new AnomalySignal(AnomalySignalKind.Resolved, metric.ToRecord(Identity, Math.Max(atMs, metric.RaisedMs), open: false, Resolution.NoData)));
            _metric = null;
        }

        if (_exhaustion is { } exhaustion)
        {
            signals.Add(new AnomalySignal(AnomalySignalKind.Resolved, exhaustion.ToRecord(Identity, Math.Max(atMs, exhaustion.RaisedMs), open: false, Resolution.NoData)));
            _exhaustion = null;
        }

        // The evidence is old: whatever comes next is judged afresh.
        _alert = new AlertStateMachine(_settings.Alert);
        Dirty = true;
    }

    private void TrackMetric(long t, double x, double score, DetectorBaseline baseline, AlertTransition transition, List<AnomalySignal> signals)
    {
        if (transition == AlertTransition.Raised)
        {
            if (_metric is { } again)
            {
                // Scores rose again while the level had not come back yet: the same anomaly goes on.
                again.CalmSinceMs = 0;
                again.LastAnomalousMs = t;
                Escalate(again, t, _alert.PeakScore, signals);
                return;
            }

            if (t - _recoveredAtMs <= (long)_settings.Alert.Hold.TotalMilliseconds
                && new DetectorBaseline(baseline.Level, _recoveredLow, _recoveredHigh, baseline.Range, false).Contains(baseline.Level, DetectionSettings.RecoveryMargin))
            {
                _alert = new AlertStateMachine(_settings.Alert);
                return;
            }

            _metric = new OpenAnomaly
            {
                Kind = AnomalyKind.Metric,
                Severity = SeverityOf(_alert.PeakScore),
                StartedMs = _alert.StartedAtMs,
                RaisedMs = t,
                LastAnomalousMs = t,
                ReportedMs = t,
                PeakScore = _alert.PeakScore,
                Value = x,
                UsualLow = _usual.UsualLow,
                UsualHigh = _usual.UsualHigh,
            };
            signals.Add(new AnomalySignal(AnomalySignalKind.Opened, _metric.ToRecord(Identity, t, open: true, Resolution.None)));
            return;
        }

        if (_metric is not { } metric)
        {
            return;
        }

        var usual = new DetectorBaseline(baseline.Level, metric.UsualLow, metric.UsualHigh, _usual.Range, baseline.Frozen);
        bool backInBand = usual.Contains(baseline.Level, DetectionSettings.RecoveryMargin) && !baseline.Frozen;
        if (score >= _settings.Alert.RaiseThreshold || !backInBand)
        {
            metric.LastAnomalousMs = t;
        }

        if (transition == AlertTransition.Cleared)
        {
            metric.CalmSinceMs = t;
        }

        if (_alert.IsActive)
        {
            Escalate(metric, t, _alert.PeakScore, signals);
            return;
        }

        if (metric.CalmSinceMs == 0)
        {
            metric.CalmSinceMs = t;
        }

        if (backInBand || t - metric.CalmSinceMs >= _settings.SettleAfterMs)
        {
            if (backInBand)
            {
                (_recoveredAtMs, _recoveredLow, _recoveredHigh) = (t, metric.UsualLow, metric.UsualHigh);
            }

            signals.Add(new AnomalySignal(AnomalySignalKind.Resolved, metric.ToRecord(Identity, t, open: false, backInBand ? Resolution.Recovered : Resolution.Settled)));
            _metric = null;
            return;
        }

        Report(metric, t, signals);
    }

    private void Escalate(OpenAnomaly metric, long t, double peak, List<AnomalySignal> signals)
    {
        metric.PeakScore = Math.Max(metric.PeakScore, peak);
        AlertSeverity severity = SeverityOf(metric.PeakScore);
        if (severity > metric.Severity)
        {
            metric.Severity = severity;
            metric.ReportedMs = t;
            signals.Add(new AnomalySignal(AnomalySignalKind.Updated, metric.ToRecord(Identity, t, open: true, Resolution.None)));
            return;
        }

        Report(metric, t, signals);
    }

    private void Report(OpenAnomaly anomaly, long t, List<AnomalySignal> signals)
    {
        if (t - anomaly.ReportedMs >= DetectionSettings.UpdateIntervalMs)
        {
            anomaly.ReportedMs = t;
            signals.Add(new AnomalySignal(AnomalySignalKind.Updated, anomaly.ToRecord(Identity, t, open: true, Resolution.None)));
        }
    }

    private void TrackExhaustion(long t, double utilization, List<AnomalySignal> signals)
    {
        // Utilizations are fractions of a capacity of 1; anything else (a percentage sent by mistake) is not forecast.
        if (utilization is < 0 or > 1.5)
        {
            return;
        }

        ExhaustionForecast forecast = _forecaster!.Update(t, utilization, 1.0);
        if (!forecast.Warning)
        {
            if (_exhaustion is { } ended)
            {
                signals.Add(new AnomalySignal(AnomalySignalKind.Resolved, ended.ToRecord(Identity, t, open: false, Resolution.Recovered)));
                _exhaustion = null;
            }

            return;
        }

        var snapshot = new ForecastSnapshot(
            forecast.Level,
            forecast.RatePerHour,
            Milliseconds(forecast.TimeToExhaustion),
            Milliseconds(forecast.EarliestExhaustion),
            forecast.LatestExhaustion is { } latest ? Milliseconds(latest) : -1,
            forecast.Confidence,
            t);
        AlertSeverity severity = snapshot.TimeToExhaustionMs <= _settings.CriticalWithinMs ? AlertSeverity.Critical : AlertSeverity.Warning;
        if (_exhaustion is not { } open)
        {
            _exhaustion = new OpenAnomaly
            {
                Kind = AnomalyKind.Exhaustion,
                Severity = severity,
                StartedMs = t,
                RaisedMs = t,
                LastAnomalousMs = t,
                ReportedMs = t,
                PeakScore = forecast.Confidence,
                Value = utilization,
                Forecast = snapshot,
            };
            signals.Add(new AnomalySignal(AnomalySignalKind.Opened, _exhaustion.ToRecord(Identity, t, open: true, Resolution.None)));
            return;
        }

        open.Forecast = snapshot;
        open.LastAnomalousMs = t;
        open.PeakScore = Math.Max(open.PeakScore, forecast.Confidence);
        if (severity > open.Severity)
        {
            open.Severity = severity;
            open.ReportedMs = t;
            signals.Add(new AnomalySignal(AnomalySignalKind.Updated, open.ToRecord(Identity, t, open: true, Resolution.None)));
            return;
        }

        Report(open, t, signals);
    }

    private AlertSeverity SeverityOf(double peak) => peak >= _settings.Alert.ImmediateThreshold ? AlertSeverity.Critical : AlertSeverity.Warning;

    private static long Milliseconds(TimeSpan? span) =>
        span is not { } s ? -1 : s >= TimeSpan.FromDays(36_500) ? (long)TimeSpan.FromDays(36_500).TotalMilliseconds : (long)s.TotalMilliseconds;

    public void MarkSaved() => Dirty = false;

    /// <summary>Serialises everything but the identity (which comes with every batch).</summary>
    public byte[] Checkpoint()
    {
        using var stream = new MemoryStream(32 * 1024);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(CheckpointMagic);
            writer.Write(CheckpointVersion);
            writer.Write((int)Treatment);
            WriteBlob(writer, _detector.Checkpoint());
            WriteBlob(writer, _alert.Checkpoint());
            WriteBlob(writer, _forecaster?.Checkpoint() ?? []);
            writer.Write(_rate.HasPrevious);
            writer.Write(_rate.PreviousMs);
            writer.Write(_rate.PreviousValue);
            writer.Write(_lastSampleMs);
            writer.Write(_usual.Level);
            writer.Write(_usual.UsualLow);
            writer.Write(_usual.UsualHigh);
            writer.Write(_usual.Range);
            writer.Write(_usual.Frozen);
            WriteAnomaly(writer, _metric);
            WriteAnomaly(writer, _exhaustion);
            writer.Write(_recoveredAtMs);
            writer.Write(_recoveredLow);
            writer.Write(_recoveredHigh);
        }

        return stream.ToArray();
    }

    /// <summary>Rebuilds a series' detection state from <see cref="Checkpoint"/> output.</summary>
    /// <exception cref="InvalidDataException">The bytes are damaged, of another version, or of a series treated differently now.</exception>
    public static SeriesDetector Restore(ReadOnlySpan<byte> checkpoint, SeriesIdentity identity, SeriesTreatment treatment, DetectionSettings settings)
    {
        using var stream = new MemoryStream(checkpoint.ToArray(), writable: false);
        using var reader = new BinaryReader(stream);
        try
        {
            if (reader.ReadInt32() != CheckpointMagic || reader.ReadInt32() != CheckpointVersion)
            {
                throw new InvalidDataException("The saved detection state is not of this collector version; the series' detector relearns.");
            }

            if ((SeriesTreatment)reader.ReadInt32() != treatment)
            {
                throw new InvalidDataException("The series is now watched differently (its kind or the configuration changed); its detector relearns.");
            }

            var detector = new SeriesDetector(identity, treatment, settings)
            {
                _detector = AnomalyDetector.Restore(ReadBlob(reader)),
            };
            detector._alert = AlertStateMachine.Restore(settings.Alert, ReadBlob(reader));
            byte[] forecaster = ReadBlob(reader);
            if (detector._forecaster is not null)
            {
                detector._forecaster = ExhaustionForecaster.Restore(settings.Forecast, forecaster);
            }

            detector._rate = new CounterRate { HasPrevious = reader.ReadBoolean(), PreviousMs = reader.ReadInt64(), PreviousValue = reader.ReadDouble() };
            detector._lastSampleMs = reader.ReadInt64();
            detector._usual = new DetectorBaseline(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadBoolean());
            detector._metric = ReadAnomaly(reader);
            detector._exhaustion = ReadAnomaly(reader);
            detector._recoveredAtMs = reader.ReadInt64();
            detector._recoveredLow = reader.ReadDouble();
            detector._recoveredHigh = reader.ReadDouble();
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException("The saved detection state has trailing bytes; the series' detector relearns.");
            }

            return detector;
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The saved detection state is truncated; the series' detector relearns.", ex);
        }
    }

    private static void WriteBlob(BinaryWriter writer, byte[] blob)
    {
        writer.Write(blob.Length);
        writer.Write(blob);
    }

    private static byte[] ReadBlob(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0 || length > 16 * 1024 * 1024)
        {
            throw new InvalidDataException($"The saved detection state claims a part of {length} bytes; the series' detector relearns.");
        }

        byte[] blob = reader.ReadBytes(length);
        return blob.Length == length ? blob : throw new EndOfStreamException();
    }

    private static void WriteAnomaly(BinaryWriter writer, OpenAnomaly? anomaly)
    {
        writer.Write(anomaly is not null);
        anomaly?.Write(writer);
    }

    private static OpenAnomaly? ReadAnomaly(BinaryReader reader) => reader.ReadBoolean() ? OpenAnomaly.Read(reader) : null;
}
