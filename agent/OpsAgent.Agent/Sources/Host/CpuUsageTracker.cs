namespace OpsAgent.Agent.Sources.Host;

/// <summary>
/// Turns cumulative per-CPU times into per-cycle deltas, refusing the deltas that would give nonsense utilisation.
/// </summary>
/// <remarks>
/// A delta is given only for a CPU that was also read in the immediately preceding cycle and whose counters did
/// not go backwards. That covers a CPU going offline (its line disappears; when it comes back it starts afresh)
/// and the Linux iowait counter, which is known to step backwards on tickless kernels. The all-CPU figures are
/// meant to be the sum of the valid per-CPU deltas rather than a delta of the kernel's own all-CPU line, because
/// that line also sums offline CPUs and jumps when one goes offline or comes back.
/// </remarks>
internal sealed class CpuUsageTracker
{
    private CpuTimes[] _previous = new CpuTimes[16];
    private long[] _lastSeenCycle = CreateUnseen(16);
    private long _cycle;

    /// <summary>Starts a new collection cycle; call once before the cycle's <see cref="TryUpdate"/> calls.</summary>
    public void BeginCycle() => _cycle++;

    /// <summary>
    /// Records the times of CPU <paramref name="cpuId"/> for this cycle and returns true with the change since the
    /// previous cycle when that change is usable.
    /// </summary>
    public bool TryUpdate(int cpuId, in CpuTimes now, out CpuTimes delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cpuId);
        EnsureCapacity(cpuId);

        bool usable = _lastSeenCycle[cpuId] == _cycle - 1 && now.IsAtLeast(_previous[cpuId]);
        delta = usable ? now.Minus(_previous[cpuId]) : default;
        _previous[cpuId] = now;
        _lastSeenCycle[cpuId] = _cycle;
        return usable && delta.Total > 0;
    }

    private void EnsureCapacity(int cpuId)
    {
        if (cpuId < _previous.Length)
        {
            return;
        }

        int size = Math.Max(cpuId + 1, _previous.Length * 2);
        Array.Resize(ref _previous, size);
        long[] seen = CreateUnseen(size);
        _lastSeenCycle.CopyTo(seen, 0);
        _lastSeenCycle = seen;
    }

    private static long[] CreateUnseen(int size)
    {
        var seen = new long[size];
        Array.Fill(seen, long.MinValue);
        return seen;
    }
}
