using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Observability;

/// <summary>Writes the store's and the process's gauges and counters next to the ingest counters on /metrics.</summary>
internal static class StoreMetricsExporter
{
    public static void WriteTo(PrometheusTextWriter w, ITelemetryStore store, StoreCounters counters, ConnectionRegistry connections)
    {
        StoreStatistics stats = store.GetStatistics();
        w.Header("opsagent_collector_agents_connected", "gauge", "Agents with an open stream.");
        w.Sample("opsagent_collector_agents_connected", connections.Count);
        w.Header("opsagent_store_series", "gauge", "Series in the store.");
        w.Sample("opsagent_store_series", stats.Series);
        w.Header("opsagent_store_samples", "gauge", "Samples in the store (closed chunks and open heads).");
        w.Sample("opsagent_store_samples", stats.Samples);
        w.Header("opsagent_store_file_bytes", "gauge", "Size of the store's files on disk.");
        w.Sample("opsagent_store_file_bytes", stats.FileBytes);
        w.Header("opsagent_store_chunk_bytes", "gauge", "Encoded size of all closed chunks.");
        w.Sample("opsagent_store_chunk_bytes", stats.ChunkBytes);

        Counter(w, "opsagent_store_batches_committed_total", "Batches durably stored.", counters.BatchesCommitted);
        Counter(w, "opsagent_store_duplicates_total", "Batches dropped because their sequence number was already stored.", counters.Duplicates);
        Counter(w, "opsagent_store_samples_stored_total", "Samples durably stored.", counters.SamplesStored);
        Counter(w, "opsagent_store_commits_total", "Transactions committed (group commits).", counters.Commits);
        Counter(w, "opsagent_store_commit_failures_total", "Transactions that failed; their batches were not acknowledged.", counters.CommitFailures);
        Counter(w, "opsagent_store_backpressure_waits_total", "Appends that waited because the writer's queue was full.", counters.BackpressureWaits);
        Counter(w, "opsagent_store_write_ahead_bytes_total", "Bytes written to the write-ahead table.", counters.WriteAheadBytesWritten);
        Counter(w, "opsagent_store_chunk_bytes_written_total", "Bytes of closed chunks written.", counters.ChunkBytesWritten);
        Counter(w, "opsagent_store_corrupt_records_total", "Corrupt chunks, heads or write-ahead records quarantined.", counters.CorruptRecords);
        Counter(w, "opsagent_store_observer_drops_total", "Committed batches not handed to an observer (detection) because its queue was full.", counters.ObserverDrops);
        Counter(w, "opsagent_store_out_of_order_samples_total", "Samples older than their series' newest sample.", counters.OutOfOrderSamples);
        Counter(w, "opsagent_store_checkpoint_rounds_total", "Completed checkpoint rounds.", counters.CheckpointRounds);
        Counter(w, "opsagent_store_chunks_deleted_total", "Chunks deleted by retention.", counters.ChunksDeletedByRetention);
        w.Header("opsagent_store_queue_depth", "gauge", "Batches waiting for the writer.");
        w.Sample("opsagent_store_queue_depth", counters.QueueDepth);

        w.Header("opsagent_store_commit_seconds", "histogram", "Time to commit one group of batches.");
        long[] cumulative = counters.CommitLatencyCumulative();
        for (int i = 0; i < StoreCounters.CommitLatencyBucketBounds.Length; i++)
        {
            w.Sample("opsagent_store_commit_seconds_bucket", cumulative[i], ("le", PrometheusTextWriter.Format(StoreCounters.CommitLatencyBucketBounds[i])));
        }

        w.Sample("opsagent_store_commit_seconds_bucket", counters.Commits, ("le", "+Inf"));
        w.Sample("opsagent_store_commit_seconds_sum", counters.CommitSecondsTotal);
        w.Sample("opsagent_store_commit_seconds_count", counters.Commits);

        w.Header("process_resident_memory_bytes", "gauge", "Resident memory of the collector process.");
        w.Sample("process_resident_memory_bytes", Environment.WorkingSet);
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        w.Header("dotnet_gc_heap_bytes", "gauge", "Size of the managed heap after the last garbage collection (live objects and fragmentation).");
        w.Sample("dotnet_gc_heap_bytes", gc.HeapSizeBytes);
        w.Header("dotnet_gc_committed_bytes", "gauge", "Memory the garbage collector has committed (part of the resident memory).");
        w.Sample("dotnet_gc_committed_bytes", gc.TotalCommittedBytes);
        w.Header("process_cpu_seconds_total", "counter", "CPU time used by the collector process.");
        w.Sample("process_cpu_seconds_total", Environment.CpuUsage.TotalTime.TotalSeconds);
    }

    private static void Counter(PrometheusTextWriter w, string name, string help, long value)
    {
        w.Header(name, "counter", help);
        w.Sample(name, value);
    }
}
