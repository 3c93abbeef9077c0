using System.Collections.Concurrent;

namespace OpsAgent.Agent.Sources;

/// <summary>
/// Counts collection errors per source for the agent's own metrics, and rate-limits their log lines: a file that is
/// unreadable every second should be logged once an hour, not 3,600 times.
/// </summary>
internal sealed class SourceErrorCounter(TimeProvider timeProvider)
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), DateTimeOffset> _lastLogged = new();

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public void Increment(string source) => _counts.AddOrUpdate(source, 1, static (_, n) => n + 1);

    public bool ShouldLog(string source, string what)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (_lastLogged.TryGetValue((source, what), out DateTimeOffset last) && now - last < LogEvery)
        {
            return false;
        }

        _lastLogged[(source, what)] = now;
        return true;
    }
}
