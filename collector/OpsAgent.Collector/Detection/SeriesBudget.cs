namespace OpsAgent.Collector.Detection;

/// <summary>The cap on series with a detector in memory, shared by all workers (bounded memory in total).</summary>
internal sealed class SeriesBudget(int capacity)
{
    private int _used;

    public int Used => Volatile.Read(ref _used);

    public bool TryAcquire()
    {
        while (true)
        {
            int used = Volatile.Read(ref _used);
            if (used >= capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + 1, used) == used)
            {
                return true;
            }
        }
    }

    public void Release(int count = 1) => Interlocked.Add(ref _used, -count);
}
