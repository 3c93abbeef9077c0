using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Storage.Chunks;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Storage;

internal sealed partial class SqliteTelemetryStore
{
    /// <summary>Limit applied when a caller passes 0 or less.</summary>
    public const int DefaultSeriesLimit = 10_000;

    public SeriesListing ListSeries(SeriesSelector selector, int limit)
    {
        ArgumentNullException.ThrowIfNull(selector);
        LabelMatcherSet matchers = LabelMatcherSet.Create(selector.Matchers);
        limit = limit <= 0 ? DefaultSeriesLimit : limit;
        var agents = new Dictionary<AgentSequenceState, AgentView>();
        var matches = new List<(SeriesState Series, AgentView Agent)>();
        foreach (SeriesState series in _seriesById.Values)
        {
            if (!string.IsNullOrEmpty(selector.Name) && !string.Equals(series.Name, selector.Name, StringComparison.Ordinal))
            {
                continue;
            }

            if (!string.IsNullOrEmpty(selector.NamePrefix) && !series.Name.StartsWith(selector.NamePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!agents.TryGetValue(series.Agent, out AgentView? agent))
            {
                agent = AgentView.From(series.Agent.AgentId, _agentRepository.Find(series.Agent.AgentId));
                agents.Add(series.Agent, agent);
            }

            if (matchers.Matches((series, agent), static (s, key) => EffectiveLabel(s.series, s.agent, key)))
            {
                matches.Add((series, agent));
            }
        }

        matches.Sort(static (a, b) =>
        {
            int c = string.CompareOrdinal(a.Series.Name, b.Series.Name);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.Agent.Hostname, b.Agent.Hostname);
            }

            return c != 0 ? c : a.Series.Id.CompareTo(b.Series.Id);
        });
        var listed = new List<StoredSeries>(Math.Min(limit, matches.Count));
        for (int i = 0; i < matches.Count && i < limit; i++)
        {
            listed.Add(Describe(matches[i].Series, matches[i].Agent));
        }

        return new SeriesListing(listed, matches.Count > limit);
    }

    public QueryResult Query(MetricQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.EndUnixMs < query.StartUnixMs)
        {
            throw new ArgumentException($"The query ends ({query.EndUnixMs}) before it starts ({query.StartUnixMs}); swap start and end.");
        }

        if (query.StepMs < 0)
        {
            throw new ArgumentException($"The step must be 0 (raw samples) or positive; got {query.StepMs} ms.");
        }

        SeriesListing listing = ListSeries(query.Selector, query.MaxSeries);
        var results = new List<SeriesSamples>(listing.Series.Count);
        if (listing.Series.Count == 0)
        {
            return new QueryResult(results, listing.Truncated);
        }

        // Rate needs the sample before each step, so it reads one step further back.
        long readFrom = query.StepMs > 0 && query.Aggregation == Aggregation.Rate ? query.StartUnixMs - query.StepMs : query.StartUnixMs;
        using SqliteConnection connection = _database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT chunk_id, data FROM chunks WHERE series_id = $s AND start_ms >= $lo AND start_ms <= $end AND end_ms >= $start ORDER BY start_ms;";
        SqliteParameter seriesParameter = command.Parameters.Add("$s", SqliteType.Integer);
        command.Parameters.AddWithValue("$lo", SeriesState.WindowOf(readFrom));
        command.Parameters.AddWithValue("$start", readFrom);
        command.Parameters.AddWithValue("$end", query.EndUnixMs);
        foreach (StoredSeries stored in listing.Series)
        {
            if (!_seriesById.TryGetValue(stored.SeriesId, out SeriesState? series))
            {
                continue;
            }

            seriesParameter.Value = (long)series.Id;
            (long[] timestamps, double[] values) = ReadSamples(command, series, readFrom, query.EndUnixMs);
            if (query.StepMs == 0)
            {
                results.Add(new SeriesSamples(stored, timestamps, values));
                continue;
            }

            (long[] points, double[] aggregated) = SampleAggregator.Aggregate(timestamps, values, query.StartUnixMs, query.EndUnixMs, query.StepMs, query.Aggregation);
            if (query.StepMs >= RollupStepMs && query.StepMs % RollupStepMs == 0)
            {
                (points, aggregated) = MergeRollups(connection, series, query, points, aggregated);
            }

            results.Add(new SeriesSamples(stored, points, aggregated));
        }

        return new QueryResult(results, listing.Truncated);
    }

    /// <summary>
    /// Samples of one series in [start, end], from committed chunks, chunks closed but not yet committed, and the
    /// open head. Memory is read first and the database second; if the head was closed in between (its samples might
    /// then be read twice), the read is retried.
    /// </summary>
    private (long[] Timestamps, double[] Values) ReadSamples(SqliteCommand command, SeriesState series, long start, long end)
    {
        for (int attempt = 0; ; attempt++)
        {
            var timestamps = new List<long>();
            var values = new List<double>();
            PendingChunk[] pending;
            int version;
            lock (series.Sync)
            {
                series.CopyHead(start, end, timestamps, values);
                pending = series.Pending is { } list ? [.. list] : [];
                version = series.CloseVersion;
            }

            var rowIds = new HashSet<long>();
            using (SqliteDataReader reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    long chunkId = reader.GetInt64(0);
                    rowIds.Add(chunkId);
                    try
                    {
                        (long[] t, double[] v) = ChunkCodec.Decode((byte[])reader.GetValue(1));
                        AddRange(t, v, t.Length, start, end, timestamps, values);
                    }
                    catch (ChunkFormatException ex)
                    {
                        LogCorruptChunk(_logger, ex, chunkId, series.Id, _database.FilePath);
                        _corruptChunks.Enqueue(chunkId);
                    }
                }
            }

            foreach (PendingChunk chunk in pending)
            {
                long rowId = chunk.RowId;
                if (rowId == 0 || !rowIds.Contains(rowId))
                {
                    AddRange(chunk.Timestamps, chunk.Values, chunk.Count, start, end, timestamps, values);
                }
            }

            bool stable;
            lock (series.Sync)
            {
                stable = series.CloseVersion == version;
            }

            if (!stable && attempt < 10)
            {
                continue;
            }

            long[] ts = [.. timestamps];
            double[] vs = [.. values];
            for (int i = 1; i < ts.Length; i++)
            {
                if (ts[i] < ts[i - 1])
                {
                    // Overlapping chunks (out-of-order data): order by time, keeping arrival order for equal times.
                    int[] order = [.. Enumerable.Range(0, ts.Length).OrderBy(k => ts[k])];
                    ts = [.. order.Select(k => timestamps[k])];
                    vs = [.. order.Select(k => values[k])];
                    break;
                }
            }

            return (ts, vs);
        }
    }

    private static void AddRange(long[] t, double[] v, int count, long start, long end, List<long> timestamps, List<double> values)
    {
        for (int i = 0; i < count; i++)
        {
            if (t[i] >= start && t[i] <= end)
            {
                timestamps.Add(t[i]);
                values.Add(v[i]);
            }
        }
    }

    private static string EffectiveLabel(SeriesState series, AgentView agent, string key)
    {
        switch (key)
        {
            case "host":
                return agent.Hostname;
            case "agent_id":
                return series.Agent.AgentId;
        }

        string[] labels = series.Labels;
        for (int i = 0; i < labels.Length; i += 2)
        {
            if (string.Equals(labels[i], key, StringComparison.Ordinal))
            {
                return labels[i + 1];
            }
        }

        return agent.Labels.TryGetValue(key, out string? value) ? value : "";
    }

    private static StoredSeries Describe(SeriesState series, AgentView agent)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> label in agent.Labels)
        {
            labels[label.Key] = label.Value;
        }

        for (int i = 0; i < series.Labels.Length; i += 2)
        {
            labels[series.Labels[i]] = series.Labels[i + 1];
        }

        labels["host"] = agent.Hostname;
        labels["agent_id"] = series.Agent.AgentId;
        long first;
        long last;
        lock (series.Sync)
        {
            first = series.FirstMs <= series.LastMs ? series.FirstMs : 0;
            last = series.FirstMs <= series.LastMs ? series.LastMs : 0;
        }

        return new StoredSeries(series.Id, series.Agent.AgentId, agent.Hostname, series.Name, [.. labels], series.Kind, series.Unit, first, last);
    }
}
