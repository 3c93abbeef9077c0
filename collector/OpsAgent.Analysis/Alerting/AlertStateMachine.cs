namespace OpsAgent.Analysis.Alerting;

/// <summary>
/// The anomaly state of one series, driven by its scores: normal, pending (evidence seen, not long enough yet) and
/// active (raised, waiting to clear). Pure and deterministic: time comes only from the samples' timestamps.
/// </summary>
public sealed class AlertStateMachine
{
    private const int CheckpointMagic = 0x4F41_5331; // "OAS1"
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

    /// <summary>True while evidence is being gathered but no anomaly is raised yet.</summary>
    public bool IsPending => _pending && !IsActive;

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

    /// <summary>Serialises the state (the policy is not included: restore with the same policy).</summary>
    public byte[] Checkpoint()
    {
        using var stream = new MemoryStream(64);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(CheckpointMagic);
            writer.Write(IsActive);
            writer.Write(_pending);
            writer.Write(StartedAtMs);
            writer.Write(PeakScore);
            writer.Write(_pendingSinceMs);
            writer.Write(_lastHighMs);
            writer.Write(_lastNotNormalMs);
        }

        return stream.ToArray();
    }

    /// <summary>Rebuilds a state machine from <see cref="Checkpoint"/> output.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a checkpoint of this class.</exception>
    public static AlertStateMachine Restore(AlertPolicy policy, ReadOnlySpan<byte> checkpoint)
    {
        var machine = new AlertStateMachine(policy);
        using var stream = new MemoryStream(checkpoint.ToArray(), writable: false);
        using var reader = new BinaryReader(stream);
        try
        {
            if (reader.ReadInt32() != CheckpointMagic)
            {
                throw new InvalidDataException("Not an alert state checkpoint (bad magic number); discard it and start from normal.");
            }

            machine.IsActive = reader.ReadBoolean();
            machine._pending = reader.ReadBoolean();
            machine.StartedAtMs = reader.ReadInt64();
            machine.PeakScore = reader.ReadDouble();
            machine._pendingSinceMs = reader.ReadInt64();
            machine._lastHighMs = reader.ReadInt64();
            machine._lastNotNormalMs = reader.ReadInt64();
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException("The alert state checkpoint has trailing bytes; discard it and start from normal.");
            }
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The alert state checkpoint is truncated; discard it and start from normal.", ex);
        }

        return machine;
    }
}
