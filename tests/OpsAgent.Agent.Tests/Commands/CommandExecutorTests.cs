using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpsAgent.Agent.Commands;
using OpsAgent.Agent.Outbox;
using OpsAgent.Agent.Sources;
using OpsAgent.Agent.Tests.Actions;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Commands;

/// <summary>
/// The whole agent side, wired as the agent wires it (AddOpsAgent): a SignedCommand handed to the executor comes out
/// as a CommandResult in a TelemetryBatch on the outbox's Control lane, after the action ran for real.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class CommandExecutorTests : IDisposable
{
    private const string AgentId = "web-01";

    private readonly TempDirectory _dir = new();
    private readonly CommandSigner _collector = new("k1");
    private readonly string _state;
    private readonly string _logs;
    private readonly string _scripts;
    private readonly string _policyFile;
    private readonly List<ServiceProvider> _providers = [];

    public CommandExecutorTests()
    {
        _state = Path.Combine(_dir.Path, "state");
        _logs = Directory.CreateDirectory(Path.Combine(_dir.Path, "logs")).FullName;
        _scripts = Directory.CreateDirectory(Path.Combine(_dir.Path, "scripts")).FullName;
        File.SetUnixFileMode(_scripts, (UnixFileMode)0b111_101_101);
        _policyFile = Path.Combine(_dir.Path, "policy.json");
        File.WriteAllText(_policyFile, $$"""
            {
              "Cleanup": [ { "Directory": "{{_logs}}", "Patterns": ["*.log.*"] } ],
              "Scripts": { "Directory": "{{_scripts}}", "Allowed": [ { "Name": "count.sh" } ] }
            }
            """);
        ActionTestContext.WriteScript(Path.Combine(_scripts, "count.sh"), $"echo run >> '{Path.Combine(_dir.Path, "runs")}'\necho counted");
    }

    public void Dispose()
    {
        foreach (ServiceProvider provider in _providers)
        {
            provider.Dispose();
        }

        _collector.Dispose();
        _dir.Dispose();
    }

    private ServiceProvider Agent(bool pinned = true, bool policy = true, int queueCapacity = 16, TimeProvider? time = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:CollectorUrl"] = "http://127.0.0.1:9",
            ["Agent:AgentId"] = AgentId,
            ["Agent:StateDirectory"] = _state,
            ["Agent:Commands:PolicyFile"] = policy ? _policyFile : Path.Combine(_dir.Path, "absent.json"),
            ["Agent:Commands:QueueCapacity"] = queueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOpsAgent(configuration, Path.Combine(_dir.Path, "agent.json"));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        if (pinned)
        {
            // What the identity feature registers once the agent has enrolled.
            services.AddSingleton<ICommandKeyProvider>(new PinnedKeyProvider(_collector.Pinned));
        }

        ServiceProvider provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private static async Task<CommandExecutor> StartAsync(ServiceProvider agent)
    {
        CommandExecutor executor = agent.GetRequiredService<CommandExecutor>();
        await executor.StartAsync(ActionTestContext.Timeout());
        return executor;
    }

    private static ResultReader Results(ServiceProvider agent) => new(agent.GetRequiredService<IOutbox>().OpenReader());

    private Command Cleanup() => Signed(c => c.Cleanup = new CleanupFiles { Directory = _logs });

    private static Command Signed(Action<Command> action)
    {
        Command command = CommandSigner.NewCommand(AgentId, DateTimeOffset.UtcNow);
        action(command);
        return command;
    }

    [Fact]
    public async Task Submit_AllowedCleanup_FileDeletedAndSucceededResultOnControlLane()
    {
        string old = Path.Combine(_logs, "app.log.1");
        await File.WriteAllTextAsync(old, "x", ActionTestContext.Timeout());
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-1));
        ServiceProvider agent = Agent();
        CommandExecutor executor = await StartAsync(agent);
        ResultReader reader = Results(agent);
        Command command = Cleanup();

        agent.GetRequiredService<ICommandInbox>().Submit(_collector.Sign(command));

        CommandResult result = await reader.NextAsync();
        Assert.Equal(command.CommandId, result.CommandId);
        Assert.Equal(CommandStatus.Succeeded, result.Status);
        Assert.Contains("Deleted 1 file(s)", result.Reason, StringComparison.Ordinal);
        Assert.True(result.StartedUnixMs > 0);
        Assert.False(File.Exists(old));
        await executor.StopAsync(ActionTestContext.Timeout());
    }

    [Fact]
    public async Task Submit_ForgedCommand_RejectedResultAndNothingDone()
    {
        string old = Path.Combine(_logs, "app.log.1");
        await File.WriteAllTextAsync(old, "x", ActionTestContext.Timeout());
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-1));
        ServiceProvider agent = Agent();
        await StartAsync(agent);
        ResultReader reader = Results(agent);
        using var forger = new CommandSigner("k1");
        Command command = Cleanup();

        agent.GetRequiredService<ICommandInbox>().Submit(forger.Sign(command));

        CommandResult result = await reader.NextAsync();
        Assert.Equal(command.CommandId, result.CommandId);
        Assert.Equal(CommandStatus.Rejected, result.Status);
        Assert.Contains("does not verify with pinned key k1", result.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(old));
    }

    [Fact]
    public async Task Submit_NotEnrolled_EveryCommandRejectedSayingWhy()
    {
        ServiceProvider agent = Agent(pinned: false);
        await StartAsync(agent);
        ResultReader reader = Results(agent);

        agent.GetRequiredService<ICommandInbox>().Submit(_collector.Sign(Cleanup()));

        CommandResult result = await reader.NextAsync();
        Assert.Equal(CommandStatus.Rejected, result.Status);
        Assert.Contains("no pinned command signing key", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SameCommandAgainAndAfterRestart_RunsOnceAndResendsStoredResult()
    {
        string runs = Path.Combine(_dir.Path, "runs");
        SignedCommand signed = _collector.Sign(Signed(c => c.Script = new RunScript { Name = "count.sh" }));
        ServiceProvider agent = Agent();
        CommandExecutor executor = await StartAsync(agent);
        ResultReader reader = Results(agent);

        agent.GetRequiredService<ICommandInbox>().Submit(signed);
        CommandResult first = await reader.NextAsync();
        agent.GetRequiredService<ICommandInbox>().Submit(signed);
        CommandResult second = await reader.NextAsync();
        await executor.StopAsync(ActionTestContext.Timeout());

        ServiceProvider restarted = Agent();
        await StartAsync(restarted);
        ResultReader afterRestart = Results(restarted);
        restarted.GetRequiredService<ICommandInbox>().Submit(signed);
        CommandResult third = await afterRestart.NextAsync();

        Assert.Equal(CommandStatus.Succeeded, first.Status);
        Assert.Equal("counted\n", first.Output);
        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Equal(["run"], await File.ReadAllLinesAsync(runs, ActionTestContext.Timeout()));
        Assert.Equal(2, restarted.GetRequiredService<CommandStatistics>().Resent + agent.GetRequiredService<CommandStatistics>().Resent);
    }

    [Fact]
    public async Task Submit_NonceOfEarlierCommandReused_RejectedAsReplay()
    {
        ServiceProvider agent = Agent();
        await StartAsync(agent);
        ResultReader reader = Results(agent);
        Command first = Cleanup();
        agent.GetRequiredService<ICommandInbox>().Submit(_collector.Sign(first));
        Assert.Equal(CommandStatus.Succeeded, (await reader.NextAsync()).Status);
        Command replay = Cleanup();
        replay.Nonce = first.Nonce;

        agent.GetRequiredService<ICommandInbox>().Submit(_collector.Sign(replay));

        CommandResult result = await reader.NextAsync();
        Assert.Equal(replay.CommandId, result.CommandId);
        Assert.Equal(CommandStatus.Rejected, result.Status);
        Assert.Contains($"already used by command '{first.CommandId}'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_QueueFull_RejectedWithReasonAndQueuedOneStillRuns()
    {
        ServiceProvider agent = Agent(queueCapacity: 1);
        ResultReader reader = Results(agent);
        ICommandInbox inbox = agent.GetRequiredService<ICommandInbox>();
        Command queued = Cleanup();
        Command overflow = Cleanup();

        // Not started yet: the first waits in the queue, the second finds it full.
        inbox.Submit(_collector.Sign(queued));
        inbox.Submit(_collector.Sign(overflow));
        await StartAsync(agent);

        var results = new[] { await reader.NextAsync(), await reader.NextAsync() }.ToDictionary(r => r.CommandId);
        Assert.Equal(CommandStatus.Rejected, results[overflow.CommandId].Status);
        Assert.Contains("command queue is full (1 commands waiting", results[overflow.CommandId].Reason, StringComparison.Ordinal);
        Assert.Equal(CommandStatus.Succeeded, results[queued.CommandId].Status);

        // The rejection is final: the same command again gets the same answer, not a run.
        inbox.Submit(_collector.Sign(overflow));
        Assert.Equal(results[overflow.CommandId], await reader.NextAsync());
    }

    [Fact]
    public async Task Run_CommandExpiredWhileQueued_RejectedNotRun()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        ServiceProvider agent = Agent(time: time);
        ResultReader reader = Results(agent);
        Command command = CommandSigner.NewCommand(AgentId, time.GetUtcNow());
        command.Script = new RunScript { Name = "count.sh" };
        agent.GetRequiredService<ICommandInbox>().Submit(_collector.Sign(command));

        time.Advance(TimeSpan.FromMinutes(10));
        await StartAsync(agent);

        CommandResult result = await reader.NextAsync();
        Assert.Equal(CommandStatus.Rejected, result.Status);
        Assert.Contains("expired while it waited in the agent's queue", result.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "runs")));
    }

    [Fact]
    public async Task Start_CommandWasRunningWhenAgentDied_FailedResultSentAndNotRunAgain()
    {
        Command command = Signed(c => c.Script = new RunScript { Name = "count.sh" });
        ServiceProvider crashed = Agent();
        CommandJournal journal = crashed.GetRequiredService<CommandJournal>();
        journal.Admit(command, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        journal.Begin(command, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        ServiceProvider restarted = Agent();
        ResultReader reader = Results(restarted);
        await StartAsync(restarted);
        CommandResult interrupted = await reader.NextAsync();
        restarted.GetRequiredService<ICommandInbox>().Submit(_collector.Sign(command));
        CommandResult again = await reader.NextAsync();

        Assert.Equal(command.CommandId, interrupted.CommandId);
        Assert.Equal(CommandStatus.Failed, interrupted.Status);
        Assert.Equal(interrupted, again);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "runs")));
    }

    [Fact]
    public async Task Submit_NoPolicyFile_RejectedAndActionsNotAdvertised()
    {
        ServiceProvider agent = Agent(policy: false);
        await StartAsync(agent);
        ResultReader reader = Results(agent);
        ICommandInbox inbox = agent.GetRequiredService<ICommandInbox>();

        inbox.Submit(_collector.Sign(Cleanup()));

        CommandResult result = await reader.NextAsync();
        Assert.Equal(CommandStatus.Rejected, result.Status);
        Assert.Contains("no local policy file", result.Reason, StringComparison.Ordinal);
        Assert.False(inbox.ActionsEnabled);
        Assert.True(Agent().GetRequiredService<ICommandInbox>().ActionsEnabled);
    }

    [Fact]
    public async Task Collect_AfterCommands_MetricsCountReceivedRejectedByReasonAndSucceeded()
    {
        ServiceProvider agent = Agent();
        await StartAsync(agent);
        ResultReader reader = Results(agent);
        ICommandInbox inbox = agent.GetRequiredService<ICommandInbox>();
        using var forger = new CommandSigner("k1");
        inbox.Submit(_collector.Sign(Cleanup()));
        inbox.Submit(forger.Sign(Cleanup()));
        inbox.Submit(_collector.Sign(Signed(c => c.Cleanup = new CleanupFiles { Directory = "/etc" })));
        for (int i = 0; i < 3; i++)
        {
            await reader.NextAsync();
        }

        var buffer = new MetricBuffer(0);
        agent.GetServices<IMetricSource>().Single(s => s.Name == "agent.commands").Collect(buffer);

        double Value(string name, string? reason = null) => buffer.Samples
            .Single(s => s.Name == name && (reason is null || s.Labels.Any(l => l.Key == "reason" && l.Value == reason))).Value;
        Assert.Equal(3, Value("opsagent.commands.received"));
        Assert.Equal(1, Value("opsagent.commands.rejected", RejectionCodes.BadSignature));
        Assert.Equal(1, Value("opsagent.commands.rejected", RejectionCodes.PolicyDenied));
        Assert.Equal(1, Value("opsagent.commands.succeeded"));
        Assert.Equal(0, Value("opsagent.commands.failed"));
        Assert.Equal(1, Value("opsagent.commands.policy.loaded"));
    }

    /// <summary>Command results as they leave through the outbox: Control lane, with a sequence number, several per batch at times.</summary>
    private sealed class ResultReader(IOutboxReader reader)
    {
        private readonly Queue<CommandResult> _pending = new();

        public async Task<CommandResult> NextAsync()
        {
            while (_pending.Count == 0)
            {
                OutboxEntry entry = await reader.ReadAsync(ActionTestContext.Timeout());
                Assert.Equal(OutboxLane.Control, entry.Lane);
                Assert.True(entry.Sequence > 0);
                Assert.Empty(entry.Batch.Metrics);
                foreach (CommandResult result in entry.Batch.CommandResults)
                {
                    _pending.Enqueue(result);
                }
            }

            return _pending.Dequeue();
        }
    }
}
