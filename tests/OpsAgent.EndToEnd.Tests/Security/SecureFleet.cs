using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Security;

/// <summary>
/// A secure collector (TLS, enrolment, API tokens) with one good agent enrolled and streaming, shared by the tests of a
/// class: each test attacks the collector and then checks that the good agent still streams.
/// </summary>
public sealed class SecureFleet : IAsyncLifetime
{
    public const string GoodAgentId = "good-agent";

    private readonly TempDirectory _dir = new();

    internal CollectorProcess Collector { get; private set; } = null!;

    internal ManagedProcess GoodAgent { get; private set; } = null!;

    internal string Sub(string name) => _dir.Sub(name);

    public async ValueTask InitializeAsync()
    {
        Collector = await CollectorProcess.StartAsync(
            _dir.Sub("collector"),
            secure: true,
            extraArgs: ["--Collector:Ingest:StreamIdleTimeout=00:00:04", "--Collector:Ingest:MaxBatchBytes=131072"]);
        GoodAgent = await AgentProcess.StartAsync(Collector, _dir.Sub("good"), GoodAgentId);
        await GoodAgentStreamsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await GoodAgent.DisposeAsync();
        await Collector.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Waits for a sample the good agent took after now: it is still connected and its data is stored.</summary>
    internal async Task GoodAgentStreamsAsync()
    {
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Eventually.TrueAsync(
            async () =>
            {
                var query = new QueryMetricsRequest { Name = "system.uptime", StartUnixMs = after - 60_000 };
                query.Matchers.Add(new LabelMatcher { Key = "agent_id", Op = MatchOp.Equal, Value = GoodAgentId });
                QueryMetricsResponse r = await Collector.Admin.QueryMetricsAsync(query, deadline: DateTime.UtcNow.AddSeconds(10));
                return r.Series.Any(s => s.TimestampsUnixMs.Count > 0 && s.TimestampsUnixMs[^1] > after);
            },
            TimeSpan.FromSeconds(60),
            "a sample from the good agent taken after the attack",
            () => Collector.Process + "\n" + GoodAgent);
    }

    /// <summary>Waits for an audit entry for <paramref name="method"/> with <paramref name="outcome"/>; returns it.</summary>
    internal async Task<AuditEvent> AuditedAsync(string method, string outcome, Func<AuditEvent, bool>? also = null)
    {
        long since = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        return await Eventually.GetAsync(
            async () =>
            {
                ListAuditEventsResponse r = await Collector.Access.ListAuditEventsAsync(
                    new ListAuditEventsRequest { SinceUnixMs = since, Limit = 1000 }, deadline: DateTime.UtcNow.AddSeconds(10));
                return r.Events.FirstOrDefault(e => e.Method == method && e.Outcome == outcome && (also?.Invoke(e) ?? true));
            },
            TimeSpan.FromSeconds(30),
            $"an audit entry {method} {outcome}",
            () => Collector.Process!.Output);
    }
}
