using Microsoft.Extensions.Options;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.RateLimiting;

namespace OpsAgent.Collector.Ingest;

/// <summary>
/// Per-agent rate limits on ingest (<see cref="IngestOptions.MaxSamplesPerSecondPerAgent"/>,
/// <see cref="IngestOptions.MaxMessagesPerSecondPerAgent"/>). An agent over its budget is not refused: the gateway waits
/// before reading its next message, HTTP/2 flow control pushes back, and the agent's outbox holds the data. The
/// buckets are kept per agent id, not per stream, so reconnecting does not reset them.
/// </summary>
internal sealed partial class AgentThrottle
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);

    private readonly KeyedRateLimiter _samples;
    private readonly KeyedRateLimiter _messages;
    private readonly SecurityMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentThrottle> _logger;
    private long _lastLogged;

    public AgentThrottle(IOptions<IngestOptions> options, SecurityMetrics metrics, TimeProvider time, ILogger<AgentThrottle> logger)
    {
        IngestOptions o = options.Value;
        _samples = new KeyedRateLimiter(o.MaxSamplesPerSecondPerAgent, Math.Max(o.MaxSamplesPerSecondPerAgent * 10.0, o.MaxSamplesPerBatch), time, maxKeys: 100_000);
        _messages = new KeyedRateLimiter(o.MaxMessagesPerSecondPerAgent, o.MaxMessagesPerSecondPerAgent * 10.0, time, maxKeys: 100_000);
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Charges one message of <paramref name="samples"/> samples to the agent and waits as long as its budget requires.</summary>
    public async ValueTask ChargeAsync(string agentId, int samples, CancellationToken cancellationToken)
    {
        TimeSpan messageWait = _messages.For(agentId).Take(1);
        TimeSpan sampleWait = samples > 0 ? _samples.For(agentId).Take(samples) : TimeSpan.Zero;
        TimeSpan wait = messageWait > sampleWait ? messageWait : sampleWait;
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        string limit = sampleWait >= messageWait ? "samples" : "messages";
        _metrics.Throttled(limit);
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastLogged);
        if (last == 0 || _time.GetElapsedTime(last, now) >= LogEvery)
        {
            Interlocked.Exchange(ref _lastLogged, now);
            double rate = limit == "samples" ? _samples.RatePerSecond : _messages.RatePerSecond;
            string key = limit == "samples" ? "MaxSamplesPerSecondPerAgent" : "MaxMessagesPerSecondPerAgent";
            LogThrottled(_logger, agentId, limit, rate, key, wait);
        }

        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning,
        Message = "Agent {AgentId} sends {Limit} faster than {Rate}/s (Collector:Ingest:{Key}); its stream is read more slowly (waited {Wait}). Nothing is lost; the agent's outbox holds the rest. Shown at most once a minute.")]
    private static partial void LogThrottled(ILogger logger, string agentId, string limit, double rate, string key, TimeSpan wait);
}
