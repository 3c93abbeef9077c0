namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// Runs the free-space queries of a cycle on a dedicated worker thread and gives up on a query that takes longer
/// than the timeout.
/// </summary>
/// <remarks>
/// statvfs on a network filesystem whose server is gone blocks in the kernel, uninterruptibly and for as long as
/// the mount's retry policy says (for ever with a "hard" NFS mount). No timeout can cancel that call, so when the
/// worker is stuck on one mount for longer than the timeout, that mount is reported as timed out, the worker is
/// left to it, and a new worker carries on with the rest of the list. Until the stuck call returns the mount is
/// skipped without being queried again. A hung mount therefore costs one parked thread and one timeout, once,
/// never a thread per cycle and never a stalled collection loop.
/// <para>
/// Queries are run one after the other on one thread rather than on the thread pool: a healthy statvfs takes
/// microseconds, and a thread pool that is busy (or starved by other blocked work) must not turn a healthy
/// filesystem into a "timed out" one.
/// </para>
/// </remarks>
internal sealed class FilesystemProbe
{
    private readonly Func<string, FilesystemStats> _query;
    private readonly TimeSpan _timeout;
    private readonly object _gate = new();
    private readonly Dictionary<string, Worker> _hung = new(StringComparer.Ordinal);
    private Worker? _worker;

    public FilesystemProbe(Func<string, FilesystemStats> query, TimeSpan timeout)
    {
        _query = query;
        _timeout = timeout;
    }

    /// <summary>Queries every path; <paramref name="results"/>[i] receives the outcome for <paramref name="paths"/>[i].</summary>
    public void Query(IReadOnlyList<string> paths, FilesystemQuery[] results)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfLessThan(results.Length, paths.Count);

        lock (_gate)
        {
            ForgetReturnedQueries();
            var batch = new Batch(paths, results);
            for (int i = 0; i < paths.Count; i++)
            {
                if (_hung.ContainsKey(paths[i]))
                {
                    results[i] = new FilesystemQuery(FilesystemQueryStatus.StillPending, default, null);
                    batch.Skip[i] = true;
                }
            }

            RunBatch(batch);
        }
    }

    /// <summary>Called with the lock held.</summary>
    private void RunBatch(Batch batch)
    {
        if (_worker is null || _worker.Exited)
        {
            _worker = new Worker(this);
        }

        _worker.Start(batch);
        while (!batch.Done)
        {
            Worker worker = _worker;
            TimeSpan left = _timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - worker.StartedAt);
            if (left > TimeSpan.Zero)
            {
                Monitor.Wait(_gate, left);
                continue;
            }

            // No progress for a whole timeout. Usually the worker is stuck in a query: remember that mount and
            // leave the worker to its call. Either way, carry on with a new worker.
            if (worker.Busy)
            {
                batch.Results[worker.Current] = new FilesystemQuery(FilesystemQueryStatus.TimedOut, default, null);
                _hung[batch.Paths[worker.Current]] = worker;
            }

            worker.Abandon();
            _worker = new Worker(this);
            _worker.Start(batch);
        }
    }

    /// <summary>Called with the lock held. A late answer is stale and dropped; the mount is queried afresh.</summary>
    private void ForgetReturnedQueries()
    {
        foreach ((string path, Worker worker) in _hung)
        {
            if (!worker.Busy)
            {
                _hung.Remove(path);
            }
        }
    }

    private FilesystemQuery Run(string path)
    {
        try
        {
            return FilesystemQuery.Succeeded(_query(path));
        }
        catch (Exception ex)
        {
            // Carried back as a result for the collector to report with the mount point it belongs to.
            return FilesystemQuery.Failed(ex);
        }
    }

    /// <summary>The queries of one cycle; <see cref="Next"/> is shared by the workers that take part in it.</summary>
    private sealed class Batch(IReadOnlyList<string> paths, FilesystemQuery[] results)
    {
        public IReadOnlyList<string> Paths { get; } = paths;

        public FilesystemQuery[] Results { get; } = results;

        public bool[] Skip { get; } = new bool[paths.Count];

        public int Next { get; set; }

        public bool Done { get; set; }
    }

    /// <summary>A background thread that runs queries; all its state is guarded by the probe's lock.</summary>
    private sealed class Worker
    {
        // An idle worker ends after this long, so that a source that is dropped does not keep a thread for ever;
        // collection intervals are far shorter, so a live source keeps its worker.
        private static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(5);

        private readonly FilesystemProbe _probe;
        private Batch? _batch;
        private bool _abandoned;

        public Worker(FilesystemProbe probe)
        {
            _probe = probe;
            var thread = new Thread(Loop) { IsBackground = true, Name = "OpsAgent statvfs" };
            thread.Start();
        }

        /// <summary>True while a query runs (for an abandoned worker: until its stuck call returns).</summary>
        public bool Busy { get; private set; }

        public int Current { get; private set; } = -1;

        /// <summary>True once the thread has ended after being idle for <see cref="IdleLifetime"/>.</summary>
        public bool Exited { get; private set; }

        /// <summary>When the worker last made progress: got a batch or started a query (Environment.TickCount64).</summary>
        public long StartedAt { get; private set; }

        public void Start(Batch batch)
        {
            _batch = batch;
            StartedAt = Environment.TickCount64;
            Monitor.PulseAll(_probe._gate);
        }

        public void Abandon() => _abandoned = true;

        private void Loop()
        {
            lock (_probe._gate)
            {
                while (true)
                {
                    while (_batch is null && !_abandoned)
                    {
                        if (!Monitor.Wait(_probe._gate, IdleLifetime) && _batch is null && !_abandoned)
                        {
                            Exited = true;
                            return;
                        }
                    }

                    if (_abandoned)
                    {
                        // Given up on (stuck, or too slow to be scheduled): the cycle has moved on to a new worker.
                        return;
                    }

                    Batch batch = _batch!;
                    while (batch.Next < batch.Paths.Count && batch.Skip[batch.Next])
                    {
                        batch.Next++;
                    }

                    if (batch.Next >= batch.Paths.Count)
                    {
                        batch.Done = true;
                        _batch = null;
                        Monitor.PulseAll(_probe._gate);
                        continue;
                    }

                    int index = batch.Next++;
                    Current = index;
                    StartedAt = Environment.TickCount64;
                    Busy = true;

                    Monitor.Exit(_probe._gate);
                    FilesystemQuery result;
                    try
                    {
                        result = _probe.Run(batch.Paths[index]);
                    }
                    finally
                    {
                        Monitor.Enter(_probe._gate);
                    }

                    Busy = false;
                    if (!_abandoned)
                    {
                        batch.Results[index] = result;
                    }
                }
            }
        }
    }
}
