using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage.Chunks;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

internal sealed partial class SqliteTelemetryStore
{
    /// <summary>Resolution of downsampled data.</summary>
    public const long RollupStepMs = 5 * 60 * 1000;

    /// <summary>Windows rolled up per maintenance pass, so catching up after downtime is spread over passes.</summary>
    private const int MaxRollupWindowsPerPass = 12;

    private const string RollupStateKey = "rollup_next_window";

    /// <summary>
    /// Rolls up every 2-hour window that ended (plus the idle grace, after which its heads are closed) into 5-minute
    /// min/max/sum/count/last/increase points per series, kept for <see cref="StorageOptions.DownsampledRetention"/>.
    /// Samples that arrive for a window after it was rolled up are in the raw chunks only.
    /// </summary>
    private void BuildRollups(long now)
    {
        long next = SqliteDatabase.Scalar<long?>(_writer!, $"SELECT value FROM store_state WHERE key = '{RollupStateKey}';") ?? long.MinValue;
        if (next == long.MinValue)
        {
            long oldest = long.MaxValue;
            foreach (SeriesState series in _seriesList)
            {
                lock (series.Sync)
                {
                    oldest = Math.Min(oldest, series.FirstMs);
                }
            }

            if (oldest == long.MaxValue)
            {
                return;
            }

            next = SeriesState.WindowOf(oldest);
        }

        for (int pass = 0; pass < MaxRollupWindowsPerPass && next + SeriesState.WindowMs + IdleHeadGraceMs <= now; pass++)
        {
            long window = next;
            for (int start = 0; start < _seriesList.Count; start += RetentionSlice)
            {
                int end = Math.Min(_seriesList.Count, start + RetentionSlice);
                RunInTransaction(transaction => RollUpSlice(transaction, window, start, end));
            }

            next = window + SeriesState.WindowMs;
            RunInTransaction(transaction => _commands!.SetState(transaction, RollupStateKey, next));
        }
    }

    private void RollUpSlice(SqliteTransaction transaction, long window, int start, int end)
    {
        using SqliteCommand read = _writer!.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT data FROM chunks WHERE series_id = $s AND start_ms >= $w AND start_ms < $e ORDER BY start_ms;";
        SqliteParameter readSeries = read.Parameters.Add("$s", SqliteType.Integer);
        read.Parameters.AddWithValue("$w", window);
        read.Parameters.AddWithValue("$e", window + SeriesState.WindowMs);
        using SqliteCommand write = _writer.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "INSERT INTO rollups (series_id, window_ms, data) VALUES ($s, $w, $d) ON CONFLICT (series_id, window_ms) DO UPDATE SET data = excluded.data;";
        SqliteParameter writeSeries = write.Parameters.Add("$s", SqliteType.Integer);
        write.Parameters.AddWithValue("$w", window);
        SqliteParameter writeData = write.Parameters.Add("$d", SqliteType.Blob);
        for (int i = start; i < end; i++)
        {
            SeriesState series = _seriesList[i];
            lock (series.Sync)
            {
                if (series.FirstMs >= window + SeriesState.WindowMs || series.LastMs < window)
                {
                    continue;
                }
            }

            readSeries.Value = (long)series.Id;
            var samples = new List<(long T, double V)>();
            using (SqliteDataReader reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    try
                    {
                        (long[] t, double[] v) = ChunkCodec.Decode((byte[])reader.GetValue(0));
                        for (int k = 0; k < t.Length; k++)
                        {
                            samples.Add((t[k], v[k]));
                        }
                    }
                    catch (ChunkFormatException)
                    {
                        continue; // quarantined when a query or a later pass reads it; the rollup covers the rest
                    }
                }
            }

            if (samples.Count == 0)
            {
                continue;
            }

            samples.Sort(static (a, b) => a.T.CompareTo(b.T));
            writeSeries.Value = (long)series.Id;
            writeData.Value = BuildRollup(samples);
            write.ExecuteNonQuery();
        }
    }

    private static byte[] BuildRollup(List<(long T, double V)> samples)
    {
        var starts = new List<long>();
        var columns = new List<double>[RollupCodec.Columns];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = [];
        }

        int i = 0;
        while (i < samples.Count)
        {
            long bucket = SampleAggregator.StepStart(samples[i].T, RollupStepMs);
            double count = 0;
            double sum = 0;
            double min = double.PositiveInfinity;
            double max = double.NegativeInfinity;
            double increase = 0;
            double last = 0;
            for (; i < samples.Count && samples[i].T < bucket + RollupStepMs; i++)
            {
                double v = samples[i].V;
                count++;
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                if (i > 0)
                {
                    double delta = v - samples[i - 1].V;
                    increase += delta >= 0 ? delta : v;
                }

                last = v;
            }

            starts.Add(bucket);
            columns[0].Add(count);
            columns[1].Add(sum);
            columns[2].Add(min);
            columns[3].Add(max);
            columns[4].Add(last);
            columns[5].Add(increase);
        }

        return RollupCodec.Encode([.. starts], [.. columns.Select(c => c.ToArray())]);
    }

    private void ApplyRollupRetention(long now)
    {
        long cutoff = SeriesState.WindowOf(now - (long)_options.DownsampledRetention.TotalMilliseconds);
        RunInTransaction(transaction =>
        {
            using SqliteCommand delete = _writer!.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM rollups WHERE window_ms < $cut;";
            delete.Parameters.AddWithValue("$cut", cutoff);
            delete.ExecuteNonQuery();
        });
    }

    /// <summary>
    /// Adds points computed from rollups for the steps that raw data no longer covers (older than raw retention).
    /// P95 cannot be computed from rollups, so such steps have no P95 point.
    /// </summary>
    private (long[] Timestamps, double[] Values) MergeRollups(SqliteConnection connection, SeriesState series, MetricQuery query, long[] points, double[] aggregated)
    {
        long rawFrom = SeriesState.WindowOf(NowUnixMs() - (long)_options.Retention.TotalMilliseconds);
        if (query.StartUnixMs >= rawFrom || query.Aggregation == Aggregation.P95)
        {
            return (points, aggregated);
        }

        var buckets = new SortedDictionary<long, (double Count, double Sum, double Min, double Max, double Last, double Increase)>();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM rollups WHERE series_id = $s AND window_ms >= $lo AND window_ms <= $hi ORDER BY window_ms;";
        command.Parameters.AddWithValue("$s", (long)series.Id);
        command.Parameters.AddWithValue("$lo", SeriesState.WindowOf(query.StartUnixMs));
        command.Parameters.AddWithValue("$hi", Math.Min(query.EndUnixMs, rawFrom));
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                (long[] starts, double[][] c) decoded;
                try
                {
                    decoded = RollupCodec.Decode((byte[])reader.GetValue(0));
                }
                catch (ChunkFormatException ex)
                {
                    LogCorruptRollup(_logger, ex, series.Id);
                    continue;
                }

                (long[] starts, double[][] c) = decoded;
                for (int i = 0; i < starts.Length; i++)
                {
                    if (starts[i] < query.StartUnixMs || starts[i] > query.EndUnixMs || starts[i] >= rawFrom)
                    {
                        continue;
                    }

                    long step = SampleAggregator.StepStart(starts[i], query.StepMs);
                    if (buckets.TryGetValue(step, out var b))
                    {
                        buckets[step] = (b.Count + c[0][i], b.Sum + c[1][i], Math.Min(b.Min, c[2][i]), Math.Max(b.Max, c[3][i]), c[4][i], b.Increase + c[5][i]);
                    }
                    else
                    {
                        buckets[step] = (c[0][i], c[1][i], c[2][i], c[3][i], c[4][i], c[5][i]);
                    }
                }
            }
        }

        if (buckets.Count == 0)
        {
            return (points, aggregated);
        }

        var merged = new SortedDictionary<long, double>();
        foreach ((long step, var b) in buckets)
        {
            merged[step] = query.Aggregation switch
            {
                Aggregation.Avg => b.Sum / b.Count,
                Aggregation.Min => b.Min,
                Aggregation.Max => b.Max,
                Aggregation.Sum => b.Sum,
                Aggregation.Last => b.Last,
                Aggregation.Count => b.Count,
                _ => b.Increase / (query.StepMs / 1000.0),
            };
        }

        for (int i = 0; i < points.Length; i++)
        {
            merged[points[i]] = aggregated[i]; // raw data, where present, is exact
        }

        return ([.. merged.Keys], [.. merged.Values]);
    }
}
