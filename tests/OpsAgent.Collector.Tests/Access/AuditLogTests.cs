using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Observability;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Access;

public sealed class AuditLogTests : IDisposable
{
    private readonly AccessHarness _harness = new();
    private readonly SecurityMetrics _metrics = new();
    private readonly AuditLog _audit;

    public AuditLogTests() =>
        _audit = new AuditLog(_harness.Database, _metrics, _harness.Time, Options.Create(new AccessOptions()), NullLogger<AuditLog>.Instance);

    public void Dispose() => _harness.Dispose();

    private static CancellationToken Deadline => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).Token;

    private AuditEntry Entry(string method, string detail = "") =>
        new(_harness.Time.GetUtcNow().ToUnixTimeMilliseconds(), "api_token", "abc", "alice", "admin", method, AuditEntry.Ok, detail, "ipv4:127.0.0.1:1");

    [Fact]
    public async Task RecordAsync_Entries_ListedNewestFirstWithTruncation()
    {
        await _audit.StartAsync(Deadline);
        await _audit.RecordAsync(Entry("/a"), Deadline);
        await _audit.RecordAsync(Entry("/b"), Deadline);
        await _audit.RecordAsync(Entry("/c"), Deadline);
        await _audit.StopAsync(Deadline); // drains the queue

        (IReadOnlyList<AuditEvent> events, bool truncated) = _audit.List(0, 2);

        Assert.Equal(["/c", "/b"], events.Select(e => e.Method));
        Assert.True(truncated);
        Assert.Equal("alice", events[0].ActorName);
    }

    [Fact]
    public async Task Record_FieldsFromTheNetwork_CutAndControlCharactersReplaced()
    {
        await _audit.StartAsync(Deadline);
        await _audit.RecordAsync(Entry("/x\n/y", new string('d', 5000)), Deadline);
        await _audit.StopAsync(Deadline);

        AuditEvent stored = Assert.Single(_audit.List(0, 10).Events);

        Assert.Equal("/x?/y", stored.Method);
        Assert.Equal(1024, stored.Detail.Length);
    }

    [Fact]
    public void TryRecord_QueueFull_DropsAndCountsInsteadOfWaiting()
    {
        // Not started: nothing drains the queue.
        for (int i = 0; i < 5000; i++)
        {
            _audit.TryRecord(Entry("/flood"));
        }

        var metrics = new PrometheusTextWriter();
        _metrics.WriteTo(metrics);
        Assert.Contains("opsagent_collector_audit_dropped_total 904", metrics.ToString(), StringComparison.Ordinal);
    }
}
