using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Security;

/// <summary>
/// Clients that flood the collector from one address: an agent over its message budget, an enrolment-token guesser, an
/// API-token guesser. All on one collector with tight limits, in one scenario because the limits are per address and
/// the test's clients all share 127.0.0.1: each is slowed or refused with a status naming the setting, counted and
/// audited, and the good agent keeps streaming with nothing lost.
/// </summary>
public sealed class HostileClientTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private CollectorProcess _collector = null!;
    private ManagedProcess _goodAgent = null!;

    public async ValueTask InitializeAsync()
    {
        _collector = await CollectorProcess.StartAsync(
            _dir.Sub("collector"),
            secure: true,
            extraArgs:
            [
                "--Collector:Enrollment:AttemptsPerMinute=4",
                "--Collector:Access:FailedAuthenticationsPerMinute=3",
                "--Collector:Ingest:MaxMessagesPerSecondPerAgent=2",
            ]);
        _goodAgent = await AgentProcess.StartAsync(_collector, _dir.Sub("good"), "good-agent");
    }

    public async ValueTask DisposeAsync()
    {
        await _goodAgent.DisposeAsync();
        await _collector.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Timeout(int seconds = 30)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }

    [Fact]
    public async Task Flooding_IngestEnrolmentAndAdminAuth_SlowedOrRefusedCountedAuditedAndGoodAgentUnaffected()
    {
        string diagnostics() => _collector.Process + "\n" + _goodAgent;

        // 1. An agent over its message budget (2/s, bursts of 20) is read more slowly, not refused: every batch is stored.
        using X509Certificate2 chatty = await TestIdentity.EnrollAsync(_collector, "chatty-1");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (AsyncDuplexStreamingCall<AgentMessage, CollectorMessage> call = _collector.GatewayWith(chatty).Connect(cancellationToken: Timeout(60)))
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = "chatty-1", Hostname = "chatty", AgentVersion = "test" } }, Timeout());
            Assert.True(await call.ResponseStream.MoveNext(Timeout()));
            Limits limits = call.ResponseStream.Current.Welcome.Limits;
            Assert.Equal(2u, limits.MaxMessagesPerSecond);
            Task writer = Task.Run(async () =>
            {
                for (ulong sequence = 1; sequence <= 26; sequence++)
                {
                    var batch = new TelemetryBatch { Sequence = sequence };
                    var series = new MetricSeries { Name = "chatty.value", Kind = MetricKind.Gauge, Unit = "1" };
                    series.TimestampsUnixMs.Add(now + (long)sequence);
                    series.Values.Add(sequence);
                    batch.Metrics.Add(series);
                    await call.RequestStream.WriteAsync(new AgentMessage { Batch = batch }, Timeout(60));
                }
            }, TestContext.Current.CancellationToken);

            var stored = new HashSet<ulong>();
            while (stored.Count < 26 && await call.ResponseStream.MoveNext(Timeout(60)))
            {
                foreach (BatchAck ack in call.ResponseStream.Current.Ack?.Batches ?? [])
                {
                    Assert.Equal(BatchStatus.Stored, ack.Status);
                    stored.Add(ack.Sequence);
                }
            }

            await writer;
            Assert.Equal(26, stored.Count);
        }

        Assert.Matches("opsagent_collector_throttled_total\\{limit=\"messages\"\\} [1-9]", await _collector.GetMetricsTextAsync());

        // 2. Enrolment attempts from one address are limited (4 a minute; the good agent and chatty-1 used two).
        RpcException? limited = null;
        for (int attempt = 0; attempt < 6 && limited is null; attempt++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            string guess = $"oe_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}_{new string('0', 64)}";
            RpcException refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await _collector.Gateway.EnrollAsync(TestIdentity.Request("guesser", guess, key), cancellationToken: Timeout()));
            limited = refused.StatusCode == StatusCode.ResourceExhausted ? refused : null;
        }

        Assert.NotNull(limited);
        Assert.Contains("too many enrolment attempts from 127.0.0.1", limited.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Collector:Enrollment:AttemptsPerMinute", limited.Status.Detail, StringComparison.Ordinal);

        // 3. Bad API tokens from one address: after 3 failures the address is refused for a while, even with a good token.
        RpcException? blocked = null;
        for (int attempt = 0; attempt < 6 && blocked is null; attempt++)
        {
            string guess = $"oa_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
            RpcException refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await _collector.AdminWith(guess).ListAgentsAsync(new ListAgentsRequest(), cancellationToken: Timeout()));
            blocked = refused.StatusCode == StatusCode.ResourceExhausted ? refused : null;
        }

        Assert.NotNull(blocked);
        Assert.Contains("Collector:Access:FailedAuthenticationsPerMinute", blocked.Status.Detail, StringComparison.Ordinal);
        string metrics = await _collector.GetMetricsTextAsync();
        Assert.Contains("opsagent_collector_throttled_total{limit=\"enroll\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("opsagent_collector_throttled_total{limit=\"auth_failures\"}", metrics, StringComparison.Ordinal);

        // Once the address is let in again (one failure's worth per 20 s), the refusals are in the audit log...
        ListAuditEventsResponse audit = await Eventually.GetAsync(
            async () =>
            {
                ListAuditEventsResponse r = await _collector.Access.ListAuditEventsAsync(new ListAuditEventsRequest { Limit = 1000 }, cancellationToken: Timeout());
                return r.Events.Any(e => e.Method == "/opsagent.v1.Admin/ListAgents" && e.Outcome == "ResourceExhausted") ? r : null;
            },
            TimeSpan.FromSeconds(90),
            "the audit log to be readable again and hold the refusals",
            diagnostics);
        Assert.Contains(audit.Events, e => e.Method == "/opsagent.v1.AgentGateway/Enroll" && e.Outcome == "ResourceExhausted");
        Assert.Contains(audit.Events, e => e.Method == "/opsagent.v1.Admin/ListAgents" && e.Outcome == "Unauthenticated");

        // ...and the good agent kept streaming through all of it, nothing of chatty-1 was lost.
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Eventually.TrueAsync(
            async () =>
            {
                var query = new QueryMetricsRequest { Name = "system.uptime", StartUnixMs = after - 60_000 };
                query.Matchers.Add(new LabelMatcher { Key = "agent_id", Value = "good-agent" });
                QueryMetricsResponse r = await _collector.Admin.QueryMetricsAsync(query, cancellationToken: Timeout());
                return r.Series.Any(s => s.TimestampsUnixMs.Count > 0 && s.TimestampsUnixMs[^1] > after);
            },
            TimeSpan.FromSeconds(60),
            "a sample from the good agent after the floods",
            diagnostics);
        QueryMetricsResponse chattyData = await _collector.Admin.QueryMetricsAsync(
            new QueryMetricsRequest { Name = "chatty.value", StartUnixMs = now - 1000, EndUnixMs = now + 1000 }, cancellationToken: Timeout());
        Assert.Equal(26, Assert.Single(chattyData.Series).Values.Count);
    }
}
