using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Storage;

/// <summary>A real store on a real SQLite file in a temporary directory, with fake time.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IBatchSink> _sinks = [];

    public StoreHarness(Action<StorageOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "opsagent-store-tests", Guid.NewGuid().ToString("N"));
        Options = new StorageOptions { DataDirectory = Directory, CheckpointInterval = TimeSpan.FromMinutes(1) };
        configure?.Invoke(Options);
        Time = new FakeTimeProvider(Start);
    }

    public string Directory { get; }

    public StorageOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public SqliteTelemetryStore Store { get; private set; } = null!;

    public SqliteAgentRepository Agents { get; private set; } = null!;

    public SqliteDatabase Database { get; private set; } = null!;

    public StoreCounters Counters { get; private set; } = null!;

    public static CancellationToken Deadline => CancellationTokenSource.CreateLinkedTokenSource(
        TestContext.Current.CancellationToken, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).Token;

    public void AddSink(IBatchSink sink) => _sinks.Add(sink);

    public async Task<SqliteTelemetryStore> OpenAsync(IEnumerable<IIngestObserver>? observers = null)
    {
        Database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(Options), TelemetrySchema.Migrations, NullLogger<SqliteDatabase>.Instance);
        Agents = new SqliteAgentRepository(Database, NullLogger<SqliteAgentRepository>.Instance);
        Counters = new StoreCounters();
        Store = new SqliteTelemetryStore(
            Database, Microsoft.Extensions.Options.Options.Create(Options), Agents, _sinks, observers ?? [], Counters, Time, NullLogger<SqliteTelemetryStore>.Instance);
        await Store.StartAsync(Deadline);
        return Store;
    }

    public async Task ReopenAsync(bool clean)
    {
        if (clean)
        {
            await Store.StopAsync(Deadline);
        }
        else
        {
            await Store.StopWithoutCheckpointAsync(Deadline);
        }

        await OpenAsync();
    }

    /// <summary>Runs SQL against the database file directly (to inspect or damage it).</summary>
    public T? Sql<T>(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Options.DatabasePath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static TelemetryBatch Batch(ulong sequence, params MetricSeries[] series)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        batch.Metrics.Add(series);
        return batch;
    }

    public static MetricSeries Series(string name, long[] timestamps, double[] values, MetricKind kind = MetricKind.Gauge, params (string Key, string Value)[] labels)
    {
        var series = new MetricSeries { Name = name, Kind = kind, Unit = "1" };
        foreach ((string key, string value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            series.Labels.Add(new Label { Key = key, Value = value });
        }

        series.TimestampsUnixMs.Add(timestamps);
        series.Values.Add(values);
        return series;
    }

    public static MetricQuery Raw(string name, long start, long end, params LabelMatcher[] matchers) =>
        new(new SeriesSelector(name, null, matchers), start, end, 0, Aggregation.Avg, 100);

    public async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
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
