using System.Net;
using System.Net.Http.Headers;
using OpsAgent.Collector.Notifications;

namespace OpsAgent.Collector.Tests.Notifications;

public sealed class NotificationRetryPolicyTests
{
    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(410, false)]
    public void IsRetryable_Status_Only5xx408And429(int status, bool expected)
    {
        Assert.Equal(expected, NotificationRetryPolicy.IsRetryable((HttpStatusCode)status));
    }

    [Fact]
    public void Backoff_Retries_DoubleWithJitterUpToTheMaximum()
    {
        var policy = new NotificationRetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));
        var random = new Random(7);
        double[] ceilings = [1, 2, 4, 8, 10, 10];
        for (int retry = 1; retry <= ceilings.Length; retry++)
        {
            var delays = Enumerable.Range(0, 200).Select(_ => policy.Backoff(retry, random).TotalSeconds).ToList();
            Assert.All(delays, d => Assert.InRange(d, ceilings[retry - 1] / 2, ceilings[retry - 1]));
            Assert.True(delays.Max() - delays.Min() > ceilings[retry - 1] / 4, "the jitter spreads the delays");
        }
    }

    [Fact]
    public void RetryAfter_SecondsOrDate_IsTheWaitFromNow()
    {
        DateTimeOffset now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(7), NotificationRetryPolicy.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), now));
        Assert.Equal(TimeSpan.FromSeconds(90), NotificationRetryPolicy.RetryAfter(new RetryConditionHeaderValue(now.AddSeconds(90)), now));
        Assert.Equal(TimeSpan.Zero, NotificationRetryPolicy.RetryAfter(new RetryConditionHeaderValue(now.AddSeconds(-5)), now));
        Assert.Null(NotificationRetryPolicy.RetryAfter(null, now));
    }
}
