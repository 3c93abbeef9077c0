namespace OpsAgent.Collector.Storage;

/// <summary>
/// Exactly-once bookkeeping for one agent: every sequence below <see cref="Floor"/> is settled, and the sequences
/// stored above it are kept as sorted, merged ranges. In-order delivery keeps one range; a gap (a batch rejected
/// upstream or dropped by the agent) adds one until the agent reports, in its Hello, that it no longer holds it.
/// Touched only by the writer thread.
/// </summary>
internal sealed class AgentSequenceState(long agentKey, string agentId, ulong floor)
{
    private readonly List<(ulong Lo, ulong Hi)> _ranges = [];

    public long AgentKey { get; } = agentKey;

    public string AgentId { get; } = agentId;

    public ulong Floor { get; private set; } = floor;

    /// <summary>Series this agent has in the store, for <see cref="StorageOptions.MaxSeriesPerAgent"/>.</summary>
    public int SeriesCount { get; set; }

    /// <summary>Changed since last persisted.</summary>
    public bool Dirty { get; set; }

    public IReadOnlyList<(ulong Lo, ulong Hi)> Ranges => _ranges;

    public bool Contains(ulong sequence)
    {
        if (sequence < Floor)
        {
            return true;
        }

        int index = Find(sequence);
        return index >= 0 && _ranges[index].Lo <= sequence && sequence <= _ranges[index].Hi;
    }

    public void Add(ulong sequence)
    {
        if (Contains(sequence))
        {
            return;
        }

        Dirty = true;
        int index = Find(sequence); // last range with Lo <= sequence, or -1
        bool joinsLeft = index >= 0 && _ranges[index].Hi + 1 == sequence;
        bool joinsRight = index + 1 < _ranges.Count && _ranges[index + 1].Lo == sequence + 1;
        if (joinsLeft && joinsRight)
        {
            _ranges[index] = (_ranges[index].Lo, _ranges[index + 1].Hi);
            _ranges.RemoveAt(index + 1);
        }
        else if (joinsLeft)
        {
            _ranges[index] = (_ranges[index].Lo, sequence);
        }
        else if (joinsRight)
        {
            _ranges[index + 1] = (sequence, _ranges[index + 1].Hi);
        }
        else
        {
            _ranges.Insert(index + 1, (sequence, sequence));
        }

        Absorb();
    }

    /// <summary>The agent no longer holds sequences below <paramref name="sequence"/>: settle them.</summary>
    public void ForgetBelow(ulong sequence)
    {
        if (sequence <= Floor)
        {
            return;
        }

        Dirty = true;
        Floor = sequence;
        while (_ranges.Count > 0 && _ranges[0].Hi < Floor)
        {
            _ranges.RemoveAt(0);
        }

        Absorb();
    }

    internal void LoadRange(ulong lo, ulong hi) => _ranges.Add((lo, hi));

    private void Absorb()
    {
        while (_ranges.Count > 0 && _ranges[0].Lo <= Floor)
        {
            Floor = Math.Max(Floor, _ranges[0].Hi == ulong.MaxValue ? ulong.MaxValue : _ranges[0].Hi + 1);
            _ranges.RemoveAt(0);
        }
    }

    private int Find(ulong sequence)
    {
        int lo = 0;
        int hi = _ranges.Count - 1;
        int result = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ranges[mid].Lo <= sequence)
            {
                result = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return result;
    }
}
