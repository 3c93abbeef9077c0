using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// The collector's one SQLite database: opens it, sets the pragmas durability depends on, applies every
/// component's migrations, and hands out connections. Features that add tables register
/// <see cref="SchemaMigration"/>s in the service collection and get them applied here at start-up.
/// </summary>
/// <remarks>
/// WAL journal mode lets queries read while the single writer commits. <c>synchronous=FULL</c> makes a commit
/// durable when it returns, which is what an acknowledgement to an agent promises. Other writers (the agent
/// repository, later features) open their own connections; SQLite serialises writers and Microsoft.Data.Sqlite
/// retries a busy database until the command timeout.
/// </remarks>
internal sealed partial class SqliteDatabase
{
    /// <summary>Page size of a new database file.</summary>
    internal const int PageSize = 16384;

    private readonly StorageOptions _options;
    private readonly IReadOnlyList<SchemaMigration> _migrations;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly Lock _openLock = new();
    private string? _connectionString;

    public SqliteDatabase(IOptions<StorageOptions> options, IEnumerable<SchemaMigration> migrations, ILogger<SqliteDatabase> logger)
    {
        _options = options.Value;
        _migrations = [.. migrations];
        _logger = logger;
    }

    public string FilePath => _options.DatabasePath;

    public string DataDirectory => Path.GetDirectoryName(FilePath)!;

    public bool IsOpen => _connectionString is not null;

    /// <summary>
    /// Creates the directory and the file when missing, checks the file is a usable database and brings every
    /// component's schema up to date. Throws <see cref="StorageUnavailableException"/> with a message for the admin.
    /// </summary>
    public void EnsureOpen()
    {
        lock (_openLock)
        {
            if (_connectionString is not null)
            {
                return;
            }

            string path = FilePath;
            try
            {
                Directory.CreateDirectory(DataDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StorageUnavailableException(
                    $"Cannot create the data directory '{DataDirectory}': {ex.Message} Create it and give the collector's user write access, or set {StorageOptions.SectionName}:DataDirectory.",
                    ex);
            }

            string connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Private,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();

            try
            {
                using var connection = new SqliteConnection(connectionString);
                connection.Open();
                // Both take effect on a new file only. Larger pages waste less of each page on the tail of a
                // half-kilobyte chunk that no longer fits (measured: 12% of chunk pages unused at 4 KiB, see
                // the storage benchmarks), and chunks are appended in rowid order, which large pages suit.
                Execute(connection, $"PRAGMA page_size = {PageSize}; PRAGMA auto_vacuum = INCREMENTAL;");
                string mode = Scalar<string>(connection, "PRAGMA journal_mode = WAL;") ?? "";
                if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new StorageUnavailableException(
                        $"The database '{path}' cannot use write-ahead logging (journal_mode is '{mode}'). Put the data directory on a local file system that supports shared memory.");
                }

                // Reading the schema proves the header and schema pages are sound without scanning the file
                // (quick_check would read every page, minutes on a large store, at every start). Damage in data
                // pages surfaces as errors on the records concerned, which are logged and quarantined.
                Scalar<long>(connection, "SELECT count(*) FROM sqlite_schema;");

                ApplyMigrations(connection);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
            {
                throw new StorageUnavailableException(
                    $"The database '{path}' is damaged or is not an SQLite database ({ex.Message}). Stop the collector, move the file aside and restore it from a backup, or start with an empty data directory.",
                    ex);
            }
            catch (SqliteException ex)
            {
                throw new StorageUnavailableException(
                    $"Cannot open the database '{path}': {ex.Message} Check that the file is an OpsAgent database, that the collector's user can read and write it and its directory, and that no other collector uses it.",
                    ex);
            }

            _connectionString = connectionString;
            LogOpened(_logger, path);
        }
    }

    /// <summary>A new open read-write connection with the durability pragmas set; the caller disposes it.</summary>
    public SqliteConnection OpenConnection()
    {
        EnsureOpen();
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        string synchronous = _options.Synchronous == StorageSynchronousMode.Full ? "FULL" : "NORMAL";
        Execute(connection, $"PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536;");
        return connection;
    }

    /// <summary>Size of the database file and its write-ahead log on disk.</summary>
    public long FileBytes()
    {
        long total = 0;
        foreach (string suffix in (string[])["", "-wal"])
        {
            var info = new FileInfo(FilePath + suffix);
            if (info.Exists)
            {
                total += info.Length;
            }
        }

        return total;
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static T? Scalar<T>(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        object? result = command.ExecuteScalar();
        Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    private void ApplyMigrations(SqliteConnection connection)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;");
        foreach (IGrouping<string, SchemaMigration> component in _migrations.GroupBy(m => m.Component, StringComparer.Ordinal))
        {
            SchemaMigration[] steps = [.. component.OrderBy(m => m.Version)];
            for (int i = 0; i < steps.Length; i++)
            {
                if (steps[i].Version != i + 1)
                {
                    throw new InvalidOperationException(
                        $"Schema component '{component.Key}' has migrations numbered {string.Join(", ", steps.Select(s => s.Version))}; they must be 1, 2, 3, ... without gaps or repeats.");
                }
            }

            using SqliteTransaction transaction = connection.BeginTransaction();
            using SqliteCommand read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM schema_versions WHERE component = $c;";
            read.Parameters.AddWithValue("$c", component.Key);
            long current = read.ExecuteScalar() is long v ? v : 0;
            if (current > steps.Length)
            {
                throw new StorageUnavailableException(
                    $"The database '{FilePath}' has schema version {current} of component '{component.Key}', newer than this collector knows ({steps.Length}). Run the newer collector version, or restore a backup made by this version.");
            }

            foreach (SchemaMigration step in steps.Where(s => s.Version > current))
            {
                Execute(connection, step.Sql, transaction);
                using SqliteCommand write = connection.CreateCommand();
                write.Transaction = transaction;
                write.CommandText = "INSERT INTO schema_versions (component, version) VALUES ($c, $v) ON CONFLICT (component) DO UPDATE SET version = excluded.version;";
                write.Parameters.AddWithValue("$c", component.Key);
                write.Parameters.AddWithValue("$v", step.Version);
                write.ExecuteNonQuery();
                LogMigrated(_logger, component.Key, step.Version);
            }

            transaction.Commit();
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Opened the database {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied schema migration {Component} v{Version}")]
    private static partial void LogMigrated(ILogger logger, string component, int version);
}
