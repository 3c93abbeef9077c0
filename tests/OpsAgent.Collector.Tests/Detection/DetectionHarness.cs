using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Detection;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;
using DetectionEvent = OpsAgent.Collector.Detection.DetectionEvent;

namespace OpsAgent.Collector.Tests.Detection;

/// <summary>
/// The real detection pipeline (workers, tracker, event hub) on a real SQLite file with the store's and detection's
/// schemas, fake time, and batches routed to it as the store's observer would, with the fake clock moved to each
/// batch's last sample (as if the samples arrived live).
/// </summary>
internal sealed class DetectionHarness : IAsyncDisposable
{
    private readonly Dictionary<(string Agent, string Name, string Labels), ulong> _ids = [];

    public DetectionHarness(Action<DetectionOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "opsagent-detection-tests", Guid.NewGuid().ToString("N"));
        Options = new DetectionOptions { Workers = 2 };
        configure?.Invoke(Options);
        Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Signals.StartMs));
    }

    public string Directory { get; }

    public DetectionOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public SqliteDatabase Database { get; private set; } = null!;

    public SqliteAgentRepository Agents { get; private set; } = null!;

    public DetectionMetrics Metrics { get; private set; } = null!;

    public DetectionEventHub Events { get; private set; } = null!;

    public DetectionQueries Queries { get; private set; } = null!;

    public IncidentTracker Tracker { get; private set; } = null!;

    public DetectionPipeline Pipeline { get; private set; } = null!;

    /// <summary>Warnings and errors logged by detection; tests that expect none check it is empty.</summary>
    public CapturingLoggerFactory Logs { get; } = new();

    public static CancellationToken Deadline => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).Token;

    /// <summary>Builds and starts the pipeline (again, after <see cref="StopAsync"/>: a restart on the same file).</summary>
    public void Start()
    {
        var storage = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = Directory });
        Database = new SqliteDatabase(storage, [.. TelemetrySchema.Migrations, .. DetectionSchema.Migrations], NullLogger<SqliteDatabase>.Instance);
        Database.EnsureOpen();
        Agents = new SqliteAgentRepository(Database, NullLogger<SqliteAgentRepository>.Instance);
        Metrics = new DetectionMetrics();
        Events = new DetectionEventHub(Metrics, Time);
        Queries = new DetectionQueries(Database);
        IOptions<DetectionOptions> options = Microsoft.Extensions.Options.Options.Create(Options);
        Tracker = new IncidentTracker(new DetectionRepository(Database), Events, Metrics, options, Time, new Logger<IncidentTracker>(Logs));
        Pipeline = new DetectionPipeline(Database, Tracker, Agents, options, Metrics, Time, Logs);
        Pipeline.Start();
    }

    /// <summary>A clean stop: queued work done, every detector saved.</summary>
    public async Task StopAsync()
    {
        await Pipeline.StopAsync(Deadline);
        await Pipeline.DisposeAsync();
        Agents.Flush();
    }

    public void Hello(string agentId, string hostname, params (string Key, string Value)[] labels)
    {
        var hello = new Hello { AgentId = agentId, Hostname = hostname };
        foreach ((string key, string value) in labels)
        {
            hello.Labels[key] = value;
        }

        Agents.Upsert(agentId, hello, "127.0.0.1:1", Time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Routes samples of one series in batches of <paramref name="perBatch"/>, the clock following them.</summary>
    public void Feed(string agentId, string name, long[] timestamps, double[] values, MetricKind kind = MetricKind.Gauge, string unit = "1", int perBatch = 60, params (string Key, string Value)[] labels)
    {
        for (int from = 0; from < timestamps.Length; from += perBatch)
        {
            int to = Math.Min(timestamps.Length, from + perBatch);
            Route(agentId, Series(name, timestamps[from..to], values[from..to], kind, unit, labels));
        }
    }

    /// <summary>Routes one batch of any number of series as the store's observer would, after moving the clock to its last sample.</summary>
    public void Route(string agentId, params MetricSeries[] series)
    {
        long last = series.SelectMany(s => s.TimestampsUnixMs).DefaultIfEmpty(Time.GetUtcNow().ToUnixTimeMilliseconds()).Max();
        if (last > Time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(last));
        }

        var batch = new TelemetryBatch();
        batch.Metrics.Add(series);
        ulong[] ids = [.. series.Select(s => SeriesId(agentId, s))];
        Pipeline.Route(new CommittedBatch(agentId, batch, ids));
    }

    public static MetricSeries Series(string name, long[] timestamps, double[] values, MetricKind kind = MetricKind.Gauge, string unit = "1", params (string Key, string Value)[] labels)
    {
        var series = new MetricSeries { Name = name, Kind = kind, Unit = unit };
        foreach ((string key, string value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            series.Labels.Add(new Label { Key = key, Value = value });
        }

        series.TimestampsUnixMs.Add(timestamps);
        series.Values.Add(values);
        return series;
    }

    /// <summary>Waits until every worker and the tracker have handled everything routed so far.</summary>
    public async Task SettleAsync()
    {
        await Pipeline.CheckpointAsync(Deadline);
        // The tracker handles its queue in order: once this no-op request is answered, every earlier signal is stored.
        await Tracker.ResolveIncidentAsync(-1, Deadline);
        AssertNoProblemsLogged();
    }

    /// <summary>Lets time pass to <paramref name="unixMs"/> and ticks workers and tracker, then settles.</summary>
    public async Task TickAsync(long unixMs)
    {
        Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));
        await SettleAsync();
        Pipeline.Tick(unixMs);
        await SettleAsync();
    }

    public List<AnomalyRecord> Anomalies(string? host = null) =>
        Queries.ListAnomalies(new AnomalyFilter(0, long.MaxValue, host, null, false, [], 1000)).Anomalies;

    public List<IncidentRecord> Incidents(string? host = null) =>
        Queries.ListIncidents(new IncidentFilter(0, host, false, 1000)).Incidents;

    public static List<DetectionEvent> Drain(DetectionSubscription subscription)
    {
        var events = new List<DetectionEvent>();
        while (subscription.Reader.TryRead(out DetectionEvent? e))
        {
            events.Add(e);
        }

        return events;
    }

    public byte[]? SavedState(ulong seriesId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Directory, "opsagent.db")};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM detector_state WHERE series_id = $id;";
        command.Parameters.AddWithValue("$id", (long)seriesId);
        return command.ExecuteScalar() as byte[];
    }

    public ulong SeriesId(string agentId, MetricSeries series)
    {
        var key = (agentId, series.Name, string.Join(',', series.Labels.Select(l => l.Key + "=" + l.Value)));
        if (!_ids.TryGetValue(key, out ulong id))
        {
            id = (ulong)_ids.Count + 1;
            _ids[key] = id;

            // The store knows every series it hands to detection (retention drops saved states of unknown ones).
            using SqliteConnection connection = Database.OpenConnection();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "INSERT INTO series (series_id, agent_key, name, labels, kind, unit) VALUES ($id, 0, $name, x'00', 1, '1');";
            command.Parameters.AddWithValue("$id", (long)id);
            command.Parameters.AddWithValue("$name", series.Name);
            command.ExecuteNonQuery();
        }

        return id;
    }

    /// <summary>Fails the test when detection logged a warning or an error.</summary>
    public void AssertNoProblemsLogged() => Assert.True(Logs.Problems.IsEmpty, string.Join('\n', Logs.Problems));

    public async ValueTask DisposeAsync()
    {
        if (Pipeline is not null)
        {
            await Pipeline.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform; the temp directory is cleaned by the OS.
        }
    }
}
