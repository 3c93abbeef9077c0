using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Enrollment;
using OpsAgent.Collector.Pki;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Tests;

/// <summary>
/// A collector's identity and access parts on a real data directory (keys on disk, a real SQLite database) with fake
/// time: what the unit tests of Pki, Access and Enrollment build on.
/// </summary>
internal sealed class AccessHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public AccessHarness(Action<CollectorOptions>? configure = null, Action<TlsOptions>? tls = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "opsagent-access-tests", Guid.NewGuid().ToString("N"));
        Collector = new CollectorOptions { DataDirectory = DataDirectory };
        Collector.Endpoints.Gateway = "https://127.0.0.1:7400";
        configure?.Invoke(Collector);
        Tls = new TlsOptions();
        tls?.Invoke(Tls);
        Time = new FakeTimeProvider(Start);
        Database = new SqliteDatabase(
            Options.Create(new StorageOptions { DataDirectory = DataDirectory }),
            [.. TelemetrySchema.Migrations, .. AccessSchema.Migrations, .. EnrollmentSchema.Migrations],
            NullLogger<SqliteDatabase>.Instance);
        ApiTokens = new ApiTokenStore(Database, Time);
        EnrollmentTokens = new EnrollmentTokenStore(Database, Time);
        Certificates = new AgentCertificateStore(Database);
        Pki = NewPki();
    }

    public string DataDirectory { get; }

    public CollectorOptions Collector { get; }

    public TlsOptions Tls { get; }

    public FakeTimeProvider Time { get; }

    public SqliteDatabase Database { get; }

    public ApiTokenStore ApiTokens { get; }

    public EnrollmentTokenStore EnrollmentTokens { get; }

    public AgentCertificateStore Certificates { get; }

    public CollectorPki Pki { get; private set; }

    public string PkiPath(string file) => Path.Combine(DataDirectory, CollectorPki.DirectoryName, file);

    /// <summary>A collector's keys as a new process would load them from the same directory.</summary>
    public CollectorPki NewPki() => new(Options.Create(Collector), Options.Create(Tls), Time, NullLogger<CollectorPki>.Instance);

    public CollectorPki Restart()
    {
        Pki.Dispose();
        Pki = NewPki();
        Pki.EnsureLoaded();
        return Pki;
    }

    public EnrollmentService Enrollment(EnrollmentOptions? options = null) => new(
        Pki, EnrollmentTokens, Certificates, Database, Options.Create(options ?? new EnrollmentOptions()), Options.Create(Collector),
        new SecurityMetrics(), Time, NullLogger<EnrollmentService>.Instance);

    public void Dispose()
    {
        Pki.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner gets it.
        }
    }
}
