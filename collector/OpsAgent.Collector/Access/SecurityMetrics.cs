using System.Collections.Concurrent;
using OpsAgent.Collector.Observability;

namespace OpsAgent.Collector.Access;

/// <summary>Counters of refused calls, throttling, enrolment and the audit log, exported on /metrics.</summary>
internal sealed class SecurityMetrics
{
    private readonly ConcurrentDictionary<string, long[]> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _throttled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _enrollments = new(StringComparer.Ordinal);
    private long _auditWritten;
    private long _auditDropped;

    /// <summary>A call refused by authentication or authorisation; code is the gRPC status name.</summary>
    public void Refused(string service, string code) => Increment(_refused, service + "\n" + code);

    /// <summary>A stream slowed down, or a peer refused, by a rate limit: limit is "samples", "messages", "enroll", "auth_failures".</summary>
    public void Throttled(string limit) => Increment(_throttled, limit);

    /// <summary>An enrolment or renewal ended: outcome is "enrolled", "renewed" or the status code name.</summary>
    public void Enrollment(string outcome) => Increment(_enrollments, outcome);

    public void AuditWritten(int count) => Interlocked.Add(ref _auditWritten, count);

    public void AuditDropped(int count = 1) => Interlocked.Add(ref _auditDropped, count);

    public void WriteTo(PrometheusTextWriter w)
    {
        w.Header("opsagent_collector_refused_calls_total", "counter", "Calls refused by authentication or authorisation, by service and gRPC status.");
        foreach ((string key, long[] value) in _refused)
        {
            string[] parts = key.Split('\n');
            w.Sample("opsagent_collector_refused_calls_total", Interlocked.Read(ref value[0]), ("service", parts[0]), ("code", parts[1]));
        }

        w.Header("opsagent_collector_throttled_total", "counter", "Times a rate limit slowed an agent's stream or refused a peer, by limit.");
        foreach ((string limit, long[] value) in _throttled)
        {
            w.Sample("opsagent_collector_throttled_total", Interlocked.Read(ref value[0]), ("limit", limit));
        }

        w.Header("opsagent_collector_enrollments_total", "counter", "Enrolments and certificate renewals, by outcome.");
        foreach ((string outcome, long[] value) in _enrollments)
        {
            w.Sample("opsagent_collector_enrollments_total", Interlocked.Read(ref value[0]), ("outcome", outcome));
        }

        w.Header("opsagent_collector_audit_events_total", "counter", "Audit log entries written.");
        w.Sample("opsagent_collector_audit_events_total", Interlocked.Read(ref _auditWritten));
        w.Header("opsagent_collector_audit_dropped_total", "counter", "Audit log entries dropped (queue full during a flood of refused calls, or a failed write).");
        w.Sample("opsagent_collector_audit_dropped_total", Interlocked.Read(ref _auditDropped));
    }

    private static void Increment(ConcurrentDictionary<string, long[]> counters, string key) =>
        Interlocked.Increment(ref counters.GetOrAdd(key, static _ => new long[1])[0]);
}
