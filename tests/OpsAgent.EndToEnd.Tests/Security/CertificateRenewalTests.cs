using System.Security.Cryptography.X509Certificates;
using OpsAgent.EndToEnd.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Security;

/// <summary>
/// A real agent renews its certificate before it expires and keeps streaming past the end of the first one. The
/// collector issues one-minute certificates here (30 days in production), so the agent renews after about 40 s.
/// </summary>
public sealed class CertificateRenewalTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Agent_CertificateNearExpiry_RenewsReconnectsAndStreamsPastTheFirstExpiry()
    {
        await using CollectorProcess collector = await CollectorProcess.StartAsync(
            _dir.Sub("collector"), secure: true, extraArgs: ["--Collector:Enrollment:CertificateLifetime=00:01:00"]);
        string state = _dir.Sub("agent");
        await using ManagedProcess agent = await AgentProcess.StartAsync(collector, state, "renewing-agent");
        string diagnostics() => collector.Process + "\n" + agent;

        await agent.WaitForOutputAsync("Enrolled as agent renewing-agent", TimeSpan.FromSeconds(60));
        string pemPath = Path.Combine(state, "identity", "agent.pem");
        DateTime firstExpiry;
        string firstSerial;
        using (X509Certificate2 first = X509Certificate2.CreateFromPemFile(pemPath))
        {
            firstExpiry = first.NotAfter.ToUniversalTime();
            firstSerial = first.SerialNumber;
        }

        await agent.WaitForOutputAsync("Renewed this agent's certificate", TimeSpan.FromSeconds(90));
        using (X509Certificate2 second = X509Certificate2.CreateFromPemFile(pemPath))
        {
            Assert.NotEqual(firstSerial, second.SerialNumber);
            Assert.True(second.NotAfter.ToUniversalTime() > firstExpiry);
        }

        // Past the first certificate's end, the agent is connected (with the new one) and its data arrives.
        TimeSpan untilExpired = firstExpiry - DateTime.UtcNow + TimeSpan.FromSeconds(2);
        if (untilExpired > TimeSpan.Zero)
        {
            await Task.Delay(untilExpired, TestContext.Current.CancellationToken);
        }

        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Eventually.TrueAsync(
            async () =>
            {
                var query = new QueryMetricsRequest { Name = "system.uptime", StartUnixMs = after - 60_000 };
                query.Matchers.Add(new LabelMatcher { Key = "agent_id", Value = "renewing-agent" });
                QueryMetricsResponse r = await collector.Admin.QueryMetricsAsync(query, deadline: DateTime.UtcNow.AddSeconds(10));
                return r.Series.Any(s => s.TimestampsUnixMs.Count > 0 && s.TimestampsUnixMs[^1] > after);
            },
            TimeSpan.FromSeconds(60),
            "a sample taken after the first certificate expired",
            diagnostics);
        AgentInfo info = await collector.Admin.GetAgentAsync(
            new GetAgentRequest { AgentId = "renewing-agent" }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(info.Connected);
        Assert.Contains("reconnecting with the renewed certificate", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("refused this agent's identity", agent.Output, StringComparison.Ordinal);
    }
}
