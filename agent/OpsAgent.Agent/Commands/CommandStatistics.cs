using System.Collections.Concurrent;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Commands;

/// <summary>Counters of the command channel, reported as the agent's own metrics.</summary>
internal sealed class CommandStatistics
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _received;
    private long _succeeded;
    private long _failed;
    private long _timedOut;
    private long _resent;
    private long _resultsDropped;
    private int _queued;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Per rejection code (<see cref="RejectionCodes"/>).</summary>
    public IReadOnlyDictionary<string, long> Rejected => _rejected;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Repeated command ids answered with their stored result instead of running again.</summary>
    public long Resent => Interlocked.Read(ref _resent);

    /// <summary>Results that could not be queued for the outbox (should stay 0).</summary>
    public long ResultsDropped => Interlocked.Read(ref _resultsDropped);

    /// <summary>Commands waiting to run now.</summary>
    public int Queued => Volatile.Read(ref _queued);

    public void OnReceived() => Interlocked.Increment(ref _received);

    public void OnRejected(string code) => _rejected.AddOrUpdate(code, 1, static (_, n) => n + 1);

    public void OnResent() => Interlocked.Increment(ref _resent);

    public void OnResultDropped() => Interlocked.Increment(ref _resultsDropped);

    public void OnQueued() => Interlocked.Increment(ref _queued);

    public void OnDequeued() => Interlocked.Decrement(ref _queued);

    /// <summary>Counts a finished command by status; rejections are counted by code through <see cref="OnRejected"/>.</summary>
    public void OnFinished(CommandStatus status)
    {
        switch (status)
        {
            case CommandStatus.Succeeded:
                Interlocked.Increment(ref _succeeded);
                break;
            case CommandStatus.Failed:
                Interlocked.Increment(ref _failed);
                break;
            case CommandStatus.TimedOut:
                Interlocked.Increment(ref _timedOut);
                break;
        }
    }
}
