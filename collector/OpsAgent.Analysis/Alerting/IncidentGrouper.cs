namespace OpsAgent.Analysis.Alerting;

/// <summary>
/// Groups the anomalies of one host that overlap in time into incidents, so that one fault that disturbs ten series
/// is one notification. An incident opens with its first anomaly, takes every anomaly raised while it is open, and
/// closes when all its anomalies have cleared and none was raised again for <c>mergeGap</c> (an anomaly that flaps
/// back within the gap rejoins the same incident instead of opening a new one).
/// Pure: the caller passes the time of each event and calls <see cref="Advance"/> to let time pass.
/// </summary>
public sealed class IncidentGrouper
{
    private readonly long _mergeGapMs;
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private long _sequence;
    private long _allClearSinceMs;
    private string _lastCleared = string.Empty;

    public IncidentGrouper(TimeSpan mergeGap)
    {
        if (mergeGap < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(mergeGap), mergeGap, "The merge gap must not be negative.");
        }

        _mergeGapMs = (long)mergeGap.TotalMilliseconds;
    }

    /// <summary>The open incident's number, or null when none is open.</summary>
    public long? OpenIncident { get; private set; }

    /// <summary>Series whose anomaly is raised now.</summary>
    public IReadOnlyCollection<string> ActiveSeries => _active;

    /// <summary>
    /// A series' anomaly was raised. Returns what that did: joined the open incident, or opened a new one (after
    /// closing the previous one first if its gap had run out by now).
    /// </summary>
    public IReadOnlyList<IncidentEvent> AnomalyRaised(string seriesKey, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(seriesKey);
        var closed = Advance(timestampMs);
        bool wasActive = !_active.Add(seriesKey);
        if (OpenIncident is long open)
        {
            return wasActive ? [] : [new IncidentEvent(IncidentEventKind.AnomalyJoined, open, seriesKey, timestampMs)];
        }

        OpenIncident = ++_sequence;
        var opened = new IncidentEvent(IncidentEventKind.Opened, _sequence, seriesKey, timestampMs);
        return closed is null ? [opened] : [closed, opened];
    }

    /// <summary>A series' anomaly cleared. Returns the incident's closing when the gap is zero and it was the last one.</summary>
    public IncidentEvent? AnomalyCleared(string seriesKey, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(seriesKey);
        if (!_active.Remove(seriesKey))
        {
            return null;
        }

        if (_active.Count == 0)
        {
            _allClearSinceMs = timestampMs;
            _lastCleared = seriesKey;
        }

        return Advance(timestampMs);
    }

    /// <summary>Lets time pass: closes the open incident once everything has been clear for the merge gap.</summary>
    public IncidentEvent? Advance(long timestampMs)
    {
        if (OpenIncident is long open && _active.Count == 0 && timestampMs - _allClearSinceMs >= _mergeGapMs)
        {
            OpenIncident = null;
            return new IncidentEvent(IncidentEventKind.Closed, open, _lastCleared, timestampMs);
        }

        return null;
    }
}
