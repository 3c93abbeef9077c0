namespace OpsAgent.Collector.RateLimiting;

/// <summary>
/// A token bucket on the injected clock: <see cref="Capacity"/> tokens at most, refilled at <see cref="RatePerSecond"/>.
/// <see cref="Take"/> always takes (the balance may go negative) and says how long the caller should wait for the
/// balance to be back at zero; <see cref="TryTake"/> takes only when there is enough. Thread-safe.
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _updated;

    public TokenBucket(double ratePerSecond, double capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        RatePerSecond = ratePerSecond;
        Capacity = capacity;
        _time = time;
        _tokens = capacity;
        _updated = time.GetTimestamp();
    }

    public double RatePerSecond { get; }

    public double Capacity { get; }

    /// <summary>True when the bucket is full: nobody used it for a while, so forgetting it loses nothing.</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens >= Capacity;
            }
        }
    }

    /// <summary>Takes <paramref name="cost"/> tokens; returns how long to wait before going on (zero when there were enough).</summary>
    public TimeSpan Take(double cost)
    {
        lock (_lock)
        {
            Refill();
            _tokens -= cost;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / RatePerSecond);
        }
    }

    /// <summary>Takes <paramref name="cost"/> tokens if there are that many; otherwise takes none and says how long until there are.</summary>
    public bool TryTake(double cost, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= cost)
            {
                _tokens -= cost;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((cost - _tokens) / RatePerSecond);
            return false;
        }
    }

    /// <summary>How long until <paramref name="cost"/> tokens are available, without taking any (zero when they are now).</summary>
    public TimeSpan TimeUntilAvailable(double cost)
    {
        lock (_lock)
        {
            Refill();
            return _tokens >= cost ? TimeSpan.Zero : TimeSpan.FromSeconds((cost - _tokens) / RatePerSecond);
        }
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        double elapsed = _time.GetElapsedTime(_updated, now).TotalSeconds;
        _updated = now;
        if (elapsed > 0)
        {
            _tokens = Math.Min(Capacity, _tokens + (elapsed * RatePerSecond));
        }
    }
}
