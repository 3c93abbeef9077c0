using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.RateLimiting;

namespace OpsAgent.Collector.Tests.RateLimiting;

public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Take_WithinCapacity_NoWait()
    {
        var bucket = new TokenBucket(10, 100, _time);

        Assert.Equal(TimeSpan.Zero, bucket.Take(100));
    }

    [Fact]
    public void Take_BeyondCapacity_WaitIsTheDeficitOverTheRate()
    {
        var bucket = new TokenBucket(10, 100, _time);

        Assert.Equal(TimeSpan.FromSeconds(5), bucket.Take(150));
        Assert.Equal(TimeSpan.FromSeconds(6), bucket.Take(10));
    }

    [Fact]
    public void Take_AfterTimePasses_RefilledUpToCapacityOnly()
    {
        var bucket = new TokenBucket(10, 100, _time);
        bucket.Take(100);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.True(bucket.IsFull);
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Take(110));
    }

    [Fact]
    public void TryTake_NotEnough_TakesNothingAndSaysWhen()
    {
        var bucket = new TokenBucket(2, 4, _time);
        Assert.True(bucket.TryTake(4, out _));

        Assert.False(bucket.TryTake(1, out TimeSpan retry));
        Assert.Equal(TimeSpan.FromSeconds(0.5), retry);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(bucket.TryTake(1, out _));
    }

    [Fact]
    public void KeyedRateLimiter_KeysAreIndependentAndExhaustionIsVisibleWithoutTaking()
    {
        var limiter = new KeyedRateLimiter(1, 2, _time);
        Assert.True(limiter.TryAcquire("10.0.0.1", out _));
        Assert.True(limiter.TryAcquire("10.0.0.1", out _));

        Assert.False(limiter.TryAcquire("10.0.0.1", out _));
        Assert.True(limiter.IsExhausted("10.0.0.1", out TimeSpan wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.False(limiter.IsExhausted("10.0.0.2", out _));
        Assert.True(limiter.TryAcquire("10.0.0.2", out _));
    }

    [Fact]
    public void KeyedRateLimiter_ManyKeys_MemoryStaysBounded()
    {
        var limiter = new KeyedRateLimiter(1, 1, _time, maxKeys: 100);

        for (int i = 0; i < 10_000; i++)
        {
            limiter.TryAcquire("peer-" + i, out _);
        }

        Assert.InRange(limiter.Count, 1, 100);
    }
}
