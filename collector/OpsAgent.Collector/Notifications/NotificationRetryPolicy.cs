using System.Net;
using System.Net.Http.Headers;

namespace OpsAgent.Collector.Notifications;

/// <summary>
/// When to retry a webhook delivery and how long to wait. Retried: connection errors, timeouts, 5xx, 408 and 429.
/// Not retried: other 4xx, which say the request itself is wrong (bad URL, bad token) and would fail the same way again.
/// Backoff is exponential with "equal jitter" (half fixed, half random), so receivers that come back after an outage
/// are not hit by every collector's retries at the same instant; a Retry-After from the receiver wins over it.
/// </summary>
internal sealed class NotificationRetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, TimeSpan maxRetryAfter)
{
    public TimeSpan MaxRetryAfter => maxRetryAfter;

    public static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The wait before retry number <paramref name="retry"/> (1 = the first retry), in [d/2, d] for d = initial·2^(retry-1) capped at the maximum.</summary>
    public TimeSpan Backoff(int retry, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        ArgumentNullException.ThrowIfNull(random);
        double ceiling = Math.Min(maxDelay.TotalMilliseconds, initialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }

    /// <summary>The receiver's Retry-After (seconds or an HTTP date), or null when absent.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            TimeSpan wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
