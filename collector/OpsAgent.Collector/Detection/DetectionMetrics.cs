using OpsAgent.Collector.Observability;

namespace OpsAgent.Collector.Detection;

/// <summary>
/// Detection's counters and gauges on /metrics. Interlocked counters: the workers update them per batch slice, never
/// per sample.
/// </summary>
internal sealed class DetectionMetrics
{
    private long _samplesScored;
    private long _droppedQueueFull;
    private long _droppedSeriesCap;
    private long _droppedStopped;
    private long _seriesTracked;
    private long _restored;
    private long _restoredFresh;
    private long _restoreFailed;
    private long _restoreMicros;
    private long _evicted;
    private long _statesSaved;
    private long _checkpoints;
    private long _checkpointMicros;
    private long _lastCheckpointMicros;
    private long _metricAnomalies;
    private long _exhaustionWarnings;
    private long _anomaliesOpen;
    private long _incidents;
    private long _incidentsOpen;
    private long _watchDropped;
    private Func<long> _queueDepth = static () => 0;

    public long SamplesScored => Interlocked.Read(ref _samplesScored);

    public long SamplesDroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

    public long SamplesDroppedSeriesCap => Interlocked.Read(ref _droppedSeriesCap);

    public long SeriesTracked => Interlocked.Read(ref _seriesTracked);

    public long StatesRestored => Interlocked.Read(ref _restored);

    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    public long QueueDepth => _queueDepth();

    public void Scored(long samples) => Interlocked.Add(ref _samplesScored, samples);

    public void DroppedQueueFull(long samples) => Interlocked.Add(ref _droppedQueueFull, samples);

    public void DroppedSeriesCap(long samples) => Interlocked.Add(ref _droppedSeriesCap, samples);

    public void DroppedStopped(long samples) => Interlocked.Add(ref _droppedStopped, samples);

    public void SeriesTrackedChanged(long delta) => Interlocked.Add(ref _seriesTracked, delta);

    /// <summary>A series' detector came back from the store (or started fresh, or its saved state was unusable).</summary>
    public void Restore(RestoreOutcome outcome, TimeSpan elapsed)
    {
        switch (outcome)
        {
            case RestoreOutcome.Restored:
                Interlocked.Increment(ref _restored);
                break;
            case RestoreOutcome.Fresh:
                Interlocked.Increment(ref _restoredFresh);
                break;
            default:
                Interlocked.Increment(ref _restoreFailed);
                break;
        }

        Interlocked.Add(ref _restoreMicros, (long)(elapsed.TotalMilliseconds * 1000));
    }

    public void Evicted(long series) => Interlocked.Add(ref _evicted, series);

    public void Checkpointed(long states, TimeSpan elapsed)
    {
        long micros = (long)(elapsed.TotalMilliseconds * 1000);
        Interlocked.Add(ref _statesSaved, states);
        Interlocked.Increment(ref _checkpoints);
        Interlocked.Add(ref _checkpointMicros, micros);
        Interlocked.Exchange(ref _lastCheckpointMicros, micros);
    }

    public void AnomalyOpened(AnomalyKind kind)
    {
        if (kind == AnomalyKind.Exhaustion)
        {
            Interlocked.Increment(ref _exhaustionWarnings);
        }
        else
        {
            Interlocked.Increment(ref _metricAnomalies);
        }
    }

    public void AnomaliesOpen(long open) => Interlocked.Exchange(ref _anomaliesOpen, open);

    public void IncidentOpened() => Interlocked.Increment(ref _incidents);

    public void IncidentsOpen(long open) => Interlocked.Exchange(ref _incidentsOpen, open);

    public void WatchDropped() => Interlocked.Increment(ref _watchDropped);

    public void SetQueueDepth(Func<long> queueDepth) => _queueDepth = queueDepth;

    public void WriteTo(PrometheusTextWriter w)
    {
        Counter(w, "opsagent_detection_samples_scored_total", "Samples scored by the anomaly detectors.", SamplesScored);
        w.Header("opsagent_detection_samples_dropped_total", "counter", "Samples not scored, by reason: queue_full (a worker fell behind), series_cap (MaxSeries reached), stopping.");
        w.Sample("opsagent_detection_samples_dropped_total", SamplesDroppedQueueFull, ("reason", "queue_full"));
        w.Sample("opsagent_detection_samples_dropped_total", SamplesDroppedSeriesCap, ("reason", "series_cap"));
        w.Sample("opsagent_detection_samples_dropped_total", Interlocked.Read(ref _droppedStopped), ("reason", "stopping"));
        Gauge(w, "opsagent_detection_series_tracked", "Series with a detector in memory.", SeriesTracked);
        Gauge(w, "opsagent_detection_queue_depth", "Batch slices waiting for the detection workers.", QueueDepth);
        w.Header("opsagent_detection_state_restores_total", "counter", "Series whose detector was loaded, by outcome: restored (saved state), fresh (none saved), failed (unusable, relearning).");
        w.Sample("opsagent_detection_state_restores_total", StatesRestored, ("outcome", "restored"));
        w.Sample("opsagent_detection_state_restores_total", Interlocked.Read(ref _restoredFresh), ("outcome", "fresh"));
        w.Sample("opsagent_detection_state_restores_total", Interlocked.Read(ref _restoreFailed), ("outcome", "failed"));
        Counter(w, "opsagent_detection_state_restore_seconds_total", "Time spent loading detector states.", Interlocked.Read(ref _restoreMicros) / 1e6);
        Counter(w, "opsagent_detection_series_evicted_total", "Idle series saved and dropped from memory.", Interlocked.Read(ref _evicted));
        Counter(w, "opsagent_detection_states_saved_total", "Detector states written to the store.", Interlocked.Read(ref _statesSaved));
        w.Header("opsagent_detection_checkpoint_seconds", "summary", "Time to save the changed detector states of one worker.");
        w.Sample("opsagent_detection_checkpoint_seconds_sum", Interlocked.Read(ref _checkpointMicros) / 1e6);
        w.Sample("opsagent_detection_checkpoint_seconds_count", Checkpoints);
        Gauge(w, "opsagent_detection_checkpoint_last_seconds", "Duration of the latest worker checkpoint.", Interlocked.Read(ref _lastCheckpointMicros) / 1e6);
        w.Header("opsagent_detection_anomalies_total", "counter", "Anomalies raised, by kind: metric (unusual behaviour) or exhaustion (early warning).");
        w.Sample("opsagent_detection_anomalies_total", Interlocked.Read(ref _metricAnomalies), ("kind", "metric"));
        w.Sample("opsagent_detection_anomalies_total", Interlocked.Read(ref _exhaustionWarnings), ("kind", "exhaustion"));
        Gauge(w, "opsagent_detection_anomalies_open", "Anomalies open now.", Interlocked.Read(ref _anomaliesOpen));
        Counter(w, "opsagent_detection_incidents_total", "Incidents opened.", Interlocked.Read(ref _incidents));
        Gauge(w, "opsagent_detection_incidents_open", "Incidents open now.", Interlocked.Read(ref _incidentsOpen));
        Counter(w, "opsagent_detection_watch_events_dropped_total", "Events a slow live watcher did not get.", Interlocked.Read(ref _watchDropped));
    }

    private static void Counter(PrometheusTextWriter w, string name, string help, double value)
    {
        w.Header(name, "counter", help);
        w.Sample(name, value);
    }

    private static void Gauge(PrometheusTextWriter w, string name, string help, double value)
    {
        w.Header(name, "gauge", help);
        w.Sample(name, value);
    }
}
