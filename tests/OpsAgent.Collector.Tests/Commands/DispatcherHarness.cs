using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Commands;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Pki;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Commands;

/// <summary>
/// The dispatcher on real parts: a SQLite file, the real signing key, the real connection registry and agent connections
/// (their outgoing queue is what the agent's stream would carry), the real audit log, and fake time.
/// <see cref="Restart"/> builds a new dispatcher on the same database, as a collector restart does.
/// </summary>
internal sealed class DispatcherHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public DispatcherHarness(CommandOptions? options = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "opsagent-command-tests", Guid.NewGuid().ToString("N"));
        Options = options ?? new CommandOptions();
        Time = new FakeTimeProvider(Start);
        Database = new SqliteDatabase(
            Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = Root }),
            [.. CommandSchema.Migrations, .. AccessSchema.Migrations],
            NullLogger<SqliteDatabase>.Instance);
        Audit = new AuditLog(Database, new SecurityMetrics(), Time, Microsoft.Extensions.Options.Options.Create(new AccessOptions()), NullLogger<AuditLog>.Instance);
        Dispatcher = Restart();
    }

    public string Root { get; }

    public CommandOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public SqliteDatabase Database { get; }

    public AuditLog Audit { get; }

    public CommandSigner Signer { get; } = CommandSigner.Create();

    public ConnectionRegistry Registry { get; } = new();

    public PlaybookInbox Inbox { get; private set; } = new();

    public CommandCounters Counters { get; private set; } = new();

    public CommandDispatcher Dispatcher { get; private set; }

    public CommandRepository Repository => new(Database);

    public CommandDispatcher Restart()
    {
        Inbox = new PlaybookInbox();
        Counters = new CommandCounters();
        Dispatcher = new CommandDispatcher(
            new CommandRepository(Database), Signer, Registry, Inbox, Audit, Counters, Time, Microsoft.Extensions.Options.Options.Create(Options),
            NullLogger<CommandDispatcher>.Instance);
        Dispatcher.EnsureLoaded();
        return Dispatcher;
    }

    /// <summary>An agent's stream as the gateway opens it: registered, welcomed, handed to the dispatcher.</summary>
    public AgentConnection Connect(string agentId = "agent-1")
    {
        var connection = new AgentConnection(agentId, "host-" + agentId, "127.0.0.1:40000", Time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        Registry.Register(connection);
        Dispatcher.AgentConnected(connection);
        return connection;
    }

    /// <summary>The commands written to the stream so far.</summary>
    public static List<SignedCommand> Sent(AgentConnection connection)
    {
        var sent = new List<SignedCommand>();
        while (connection.Outgoing.Reader.TryRead(out CollectorMessage? message))
        {
            sent.Add(message.Command);
        }

        return sent;
    }

    public CommandRecord Exec(string agentId = "agent-1", string service = "nginx") =>
        Dispatcher.Issue(agentId, "host-" + agentId, new Command
        {
            IssuedBy = "user:alice",
            Reason = "test",
            TimeoutSeconds = 30,
            Service = new ServiceAction { Operation = ServiceAction.Types.Operation.Restart, Service = service },
        }, "restart_service " + service);

    /// <summary>Stores a result as the store's writer does, in a transaction of its own; true when it was stored now.</summary>
    public bool StoreResult(string agentId, CommandResult result)
    {
        using SqliteConnection connection = Database.OpenConnection();
        using SqliteTransaction transaction = connection.BeginTransaction();
        bool stored = CommandRepository.WriteResult(new BatchSinkContext(connection, transaction, agentId, 1, Time.GetUtcNow().ToUnixTimeMilliseconds()), result, Options.MaxOutputBytes);
        transaction.Commit();
        return stored;
    }

    public List<PlaybookInput> Posted()
    {
        var posted = new List<PlaybookInput>();
        while (Inbox.Reader.TryRead(out PlaybookInput? input))
        {
            posted.Add(input);
        }

        return posted;
    }

    public void Dispose()
    {
        Signer.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger on some systems; the temp cleaner gets it.
        }
    }
}
