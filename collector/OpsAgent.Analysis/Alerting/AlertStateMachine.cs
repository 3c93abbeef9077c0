namespace OpsAgent.Analysis.Alerting;

/// <summary>
/// The anomaly state of one series, driven by its scores: normal, pending (evidence seen, not long enough yet) and
/// active (raised, waiting to clear). Pure and deterministic: time comes only from the samples' timestamps.
/// </summary>
public sealed class AlertStateMachine
{
    private readonly AlertPolicy _policy;
    private long _pendingSinceMs;
    private long _lastHighMs;
    private long _lastNotNormalMs;
    private bool _pending;

    public AlertStateMachine(AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = policy.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid alert policy: " + string.Join(" ", errors), nameof(policy));
        }

        _policy = policy;
    }

    /// <summary>True while an anomaly is raised.</summary>
    public bool IsActive { get; private set; }

    /// <summary>When the current (or last) anomaly's evidence began, in unix ms.</summary>
    public long StartedAtMs { get; private set; }

    /// <summary>Highest score seen since the current (or last) anomaly's evidence began.</summary>
    public double PeakScore { get; private set; }

    /// <summary>Feeds one score; timestamps must not go backwards by much (a step back is treated as no time passing).</summary>
    public AlertTransition Update(long timestampMs, double score)
    {
        if (!double.IsFinite(score))
        {
            score = 0;
        }

        long hold = (long)_policy.Hold.TotalMilliseconds;
        if (IsActive)
        {
            PeakScore = Math.Max(PeakScore, score);
            if (score >= _policy.ClearThreshold)
            {
                _lastNotNormalMs = Math.Max(_lastNotNormalMs, timestampMs);
                return AlertTransition.None;
            }

            if (timestampMs - _lastNotNormalMs >= (long)_policy.ClearAfter.TotalMilliseconds)
            {
                IsActive = false;
                _pending = false;
                return AlertTransition.Cleared;
            }

            return AlertTransition.None;
        }

        if (_pending && timestampMs - _lastHighMs > hold)
        {
            _pending = false;
        }

        if (score >= _policy.RaiseThreshold)
        {
            if (!_pending)
            {
                _pending = true;
                _pendingSinceMs = timestampMs;
                PeakScore = 0;
            }

            _lastHighMs = Math.Max(_lastHighMs, timestampMs);
            PeakScore = Math.Max(PeakScore, score);
        }

        if (_pending && (PeakScore >= _policy.ImmediateThreshold
                || _lastHighMs - _pendingSinceMs >= (long)_policy.MinDuration.TotalMilliseconds))
        {
            IsActive = true;
            StartedAtMs = _pendingSinceMs;
            _lastNotNormalMs = timestampMs;
            return AlertTransition.Raised;
        }

        return AlertTransition.None;
    }
}
