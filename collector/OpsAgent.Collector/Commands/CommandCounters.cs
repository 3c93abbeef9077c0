using System.Collections.Concurrent;
using OpsAgent.Collector.Observability;

namespace OpsAgent.Collector.Commands;

/// <summary>Counters of the command dispatcher for /metrics (<see cref="WriteTo"/>).</summary>
internal sealed class CommandCounters
{
    private readonly ConcurrentDictionary<string, long[]> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _refused = new(StringComparer.Ordinal);
    private readonly long[] _open = new long[CommandStates.All.Count + 1];
    private long _sent;
    private long _resent;
    private long _sendsDeferred;
    private long _roundTrips;
    private double _roundTripSeconds;
    private readonly Lock _sync = new();

    /// <summary>A command was made: <paramref name="source"/> is "user" or "playbook".</summary>
    public void Issued(string source) => Increment(_issued, source);

    public void Sent(bool again)
    {
        if (again)
        {
            Interlocked.Increment(ref _resent);
        }
        else
        {
            Interlocked.Increment(ref _sent);
        }
    }

    /// <summary>A command could not be written to its agent's stream at once (the stream's queue was full); it is tried again.</summary>
    public void SendDeferred() => Interlocked.Increment(ref _sendsDeferred);

    public void Finished(CommandState state) => Increment(_finished, CommandStates.Name(state));

    /// <summary>A result an agent sent was refused (unknown_command, foreign_command, bad_command_result).</summary>
    public void ResultRefused(string code) => Increment(_refused, code);

    /// <summary>From the first send to the stored result.</summary>
    public void RoundTrip(TimeSpan elapsed)
    {
        lock (_sync)
        {
            _roundTrips++;
            _roundTripSeconds += elapsed.TotalSeconds;
        }
    }

    public void SetOpen(IEnumerable<CommandState> open)
    {
        var counts = new long[_open.Length];
        foreach (CommandState state in open)
        {
            counts[(int)state]++;
        }

        for (int i = 0; i < counts.Length; i++)
        {
            Interlocked.Exchange(ref _open[i], counts[i]);
        }
    }

    public long FinishedCount(CommandState state) => _finished.TryGetValue(CommandStates.Name(state), out long[]? c) ? Interlocked.Read(ref c[0]) : 0;

    public void WriteTo(PrometheusTextWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Header("opsagent_commands_issued_total", "counter", "Commands made, by source (user: opsctl exec; playbook).");
        foreach ((string source, long[] c) in _issued)
        {
            w.Sample("opsagent_commands_issued_total", Interlocked.Read(ref c[0]), ("source", source));
        }

        w.Header("opsagent_commands_open", "gauge", "Commands not finished, by state (awaiting_approval, queued, sent).");
        foreach (CommandState state in new[] { CommandState.AwaitingApproval, CommandState.Queued, CommandState.Sent })
        {
            w.Sample("opsagent_commands_open", Interlocked.Read(ref _open[(int)state]), ("state", CommandStates.Name(state)));
        }

        w.Header("opsagent_commands_sent_total", "counter", "Commands written to an agent's stream for the first time.");
        w.Sample("opsagent_commands_sent_total", Interlocked.Read(ref _sent));
        w.Header("opsagent_commands_resent_total", "counter", "Commands written again, the same signed bytes, after their agent reconnected without answering.");
        w.Sample("opsagent_commands_resent_total", Interlocked.Read(ref _resent));
        w.Header("opsagent_commands_sends_deferred_total", "counter", "Sends put off because the agent stream's queue was full (tried again).");
        w.Sample("opsagent_commands_sends_deferred_total", Interlocked.Read(ref _sendsDeferred));
        w.Header("opsagent_commands_finished_total", "counter", "Commands finished, by state (succeeded, failed, rejected, timed_out, expired, denied, cancelled).");
        foreach ((string state, long[] c) in _finished)
        {
            w.Sample("opsagent_commands_finished_total", Interlocked.Read(ref c[0]), ("state", state));
        }

        w.Header("opsagent_command_results_refused_total", "counter", "Results agents sent that were refused, by code (unknown_command, foreign_command, bad_command_result).");
        foreach ((string code, long[] c) in _refused)
        {
            w.Sample("opsagent_command_results_refused_total", Interlocked.Read(ref c[0]), ("code", code));
        }

        lock (_sync)
        {
            w.Header("opsagent_command_round_trip_seconds", "summary", "From the first send of a command to its stored result.");
            w.Sample("opsagent_command_round_trip_seconds_sum", _roundTripSeconds);
            w.Sample("opsagent_command_round_trip_seconds_count", _roundTrips);
        }
    }

    private static void Increment(ConcurrentDictionary<string, long[]> counters, string key) =>
        Interlocked.Increment(ref counters.GetOrAdd(key, static _ => new long[1])[0]);
}
