namespace OpsAgent.Agent.Sources.Host;

/// <summary>
/// Per-name state (label sets, whether the name is reported at all) for devices and interfaces, looked up by span
/// so that a cycle allocates nothing for names it has seen before.
/// </summary>
/// <remarks>
/// Names that stop appearing are forgotten: a Docker host creates and removes a veth interface per container, and
/// keeping every name ever seen would grow without bound over months.
/// </remarks>
internal sealed class NameCache<T>
    where T : class
{
    // Forgetting costs a pass over the dictionary; do it only when there is something worth forgetting.
    private const int StaleAllowance = 64;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Func<string, T?> _create;
    private long _cycle;
    private int _seen;

    /// <param name="create">Makes the state of a new name, or returns null when the name is not reported.</param>
    public NameCache(Func<string, T?> create)
    {
        _create = create;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _entries.Count;

    public void BeginCycle()
    {
        _cycle++;
        _seen = 0;
    }

    /// <summary>The state of <paramref name="name"/>, made on first sight; null when it is not reported.</summary>
    public T? Get(ReadOnlySpan<char> name)
    {
        if (!_lookup.TryGetValue(name, out Entry? entry))
        {
            string key = name.ToString();
            entry = new Entry(_create(key));
            _entries[key] = entry;
        }

        if (entry.LastSeen != _cycle)
        {
            entry.LastSeen = _cycle;
            _seen++;
        }

        return entry.Value;
    }

    public void EndCycle()
    {
        if (_entries.Count <= _seen + StaleAllowance)
        {
            return;
        }

        foreach ((string name, Entry entry) in _entries)
        {
            if (entry.LastSeen != _cycle)
            {
                _entries.Remove(name);
            }
        }
    }

    private sealed class Entry(T? value)
    {
        public T? Value { get; } = value;

        public long LastSeen { get; set; } = -1;
    }
}
