using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Catalog;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Persistence;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Playbooks.Engine;

/// <summary>
/// The engine on real parts: playbooks applied through the real store into a temporary directory, state in a real
/// SQLite file, time from a FakeTimeProvider. <see cref="Restart"/> builds a new engine on the same files, as a
/// collector restart does.
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public EngineHarness(PlaybookOptions? options = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "opsagent-playbook-tests", Guid.NewGuid().ToString("N"));
        Options = options ?? new PlaybookOptions();
        Options.Directory = Path.Combine(Root, "playbooks");
        Time = new FakeTimeProvider(Start);
        Store = new PlaybookStore(Microsoft.Extensions.Options.Options.Create(Options), Counters, NullLogger<PlaybookStore>.Instance);
        Store.EnsureLoaded();
        Restart();
    }

    public string Root { get; }

    public PlaybookOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public PlaybookCounters Counters { get; } = new();

    public PlaybookStore Store { get; }

    public SqliteDatabase Database { get; private set; } = null!;

    public PlaybookEngine Engine { get; private set; } = null!;

    /// <summary>Decisions of the last Start() (after construction or a restart).</summary>
    public IReadOnlyList<PlaybookDecision> Resumed { get; private set; } = [];

    public string DatabasePath => Path.Combine(Root, "opsagent.db");

    /// <summary>A new engine over the same directory and database file.</summary>
    public void Restart()
    {
        SqliteConnection.ClearAllPools();
        var storage = new StorageOptions { DataDirectory = Root };
        Database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(storage), PlaybookSchema.Migrations, NullLogger<SqliteDatabase>.Instance);
        Engine = new PlaybookEngine(
            Store, new SqlitePlaybookStateRepository(Database), Time, Microsoft.Extensions.Options.Options.Create(Options), Counters, NullLogger<PlaybookEngine>.Instance);
        Resumed = Engine.Start();
    }

    public void Apply(string yaml)
    {
        PlaybookApplyResult result = Store.Apply(yaml);
        Assert.True(result.Outcome is PlaybookApplyOutcome.Created or PlaybookApplyOutcome.Replaced, string.Join("; ", result.Problems));
    }

    public IReadOnlyList<PlaybookDecision> Raise(PlaybookTrigger trigger) => Engine.Handle(new PlaybookInput.TriggerRaised(trigger));

    public IReadOnlyList<PlaybookDecision> Recover(string agentId = "agent-1", string incidentId = "inc-1") =>
        Engine.Handle(new PlaybookInput.TriggerRecovered(agentId, incidentId));

    public IReadOnlyList<PlaybookDecision> Result(string commandId, CommandStatus status, string reason = "", string agentId = "agent-1") =>
        Engine.Handle(new PlaybookInput.CommandResultReceived(agentId, new CommandResult { CommandId = commandId, Status = status, Reason = reason }));

    public IReadOnlyList<PlaybookDecision> Approve(string commandId, bool approved, string by = "user:alice", string comment = "") =>
        Engine.Handle(new PlaybookInput.ApprovalDecided(commandId, approved, by, comment));

    public IReadOnlyList<PlaybookDecision> Advance(TimeSpan by)
    {
        Time.Advance(by);
        return Engine.Handle(new PlaybookInput.TimePassed());
    }

    public static PlaybookTrigger Trigger(string incident = "inc-1", string agent = "agent-1", string host = "web-1", TriggerKind kind = TriggerKind.IncidentOpened) =>
        new(kind, incident, agent, host,
            new Dictionary<string, string> { ["service"] = "nginx", ["mountpoint"] = "/var" },
            "system.cpu.utilization", null, TriggerSeverity.Warning, Start, $"CPU anomalous on {host}");

    /// <summary>A playbook YAML with the given steps (YAML list items) and guards (YAML mapping lines).</summary>
    public static string Playbook(string name = "fix-nginx", string steps = "- restart_service: { service: \"{{ labels.service }}\" }", string guards = "", string verify = "2m", bool enabled = true)
    {
        string indentedSteps = string.Join("\n", steps.Split('\n').Select(l => "  " + l));
        string indentedGuards = guards.Length == 0 ? "  cooldown: 0s" : string.Join("\n", guards.Split('\n').Select(l => "  " + l));
        return $"""
            name: {name}
            enabled: {(enabled ? "true" : "false")}
            match:
              kind: [incident_opened, anomaly_raised]
              metric: system.cpu.*
            actions:
            {indentedSteps}
            guards:
            {indentedGuards}
            verify:
              window: {verify}
            """;
    }

    public long Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform; the temp directory is cleaned by the OS.
        }
    }
}
