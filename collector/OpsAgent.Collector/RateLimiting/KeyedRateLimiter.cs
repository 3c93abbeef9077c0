using System.Collections.Concurrent;

namespace OpsAgent.Collector.RateLimiting;

/// <summary>
/// One <see cref="TokenBucket"/> per key (an IP address, an agent id), with bounded memory: when more than
/// <paramref name="maxKeys"/> keys are tracked, buckets that are full again (idle keys) are forgotten, and if that is
/// not enough, arbitrary ones, because a peer with many addresses must not grow the collector's memory.
/// </summary>
internal sealed class KeyedRateLimiter(double ratePerSecond, double capacity, TimeProvider time, int maxKeys = 10_000)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _sweepLock = new();

    public double RatePerSecond => ratePerSecond;

    public int Count => _buckets.Count;

    public TokenBucket For(string key)
    {
        if (_buckets.TryGetValue(key, out TokenBucket? bucket))
        {
            return bucket;
        }

        if (_buckets.Count >= maxKeys)
        {
            Sweep();
        }

        return _buckets.GetOrAdd(key, _ => new TokenBucket(ratePerSecond, capacity, time));
    }

    /// <summary>Whether <paramref name="key"/> may go on now; takes one token when it may.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter) => For(key).TryTake(1, out retryAfter);

    /// <summary>Whether <paramref name="key"/> has no token left, without taking one.</summary>
    public bool IsExhausted(string key, out TimeSpan retryAfter)
    {
        retryAfter = _buckets.TryGetValue(key, out TokenBucket? bucket) ? bucket.TimeUntilAvailable(1) : TimeSpan.Zero;
        return retryAfter > TimeSpan.Zero;
    }

    private void Sweep()
    {
        lock (_sweepLock)
        {
            if (_buckets.Count < maxKeys)
            {
                return;
            }

            foreach ((string key, TokenBucket bucket) in _buckets)
            {
                if (bucket.IsFull)
                {
                    _buckets.TryRemove(key, out _);
                }
            }

            int excess = _buckets.Count - (maxKeys / 2);
            foreach (string key in _buckets.Keys)
            {
                if (excess-- <= 0)
                {
                    break;
                }

                _buckets.TryRemove(key, out _);
            }
        }
    }
}
