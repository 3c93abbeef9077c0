using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Outbox;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Commands;

/// <summary>
/// The agent's command channel: verifies each command the uplink hands over, queues it (bounded: when full, the
/// command is rejected with that reason), runs one at a time under the local policy, and puts every result into the
/// outbox's Control lane as a TelemetryBatch, where it gets a sequence number and is delivered exactly once like
/// everything else.
/// </summary>
/// <remarks>
/// One command at a time: actions on one host interact (a restart while a cleanup runs in the service's log
/// directory; two restarts of the same unit), and running them in order makes what happened easy to read back.
/// Each action has its own timeout, so a slow one delays the queue by a bounded time; the collector's playbooks
/// budget actions per host anyway. Verification and rejection happen on the caller's thread without I/O (except
/// recording a "queue full" rejection), so the uplink never waits behind a running action.
/// </remarks>
internal sealed partial class CommandExecutor : BackgroundService, ICommandInbox
{
    private const int ResultQueueCapacity = 1024;

    /// <summary>Results per outbox batch are bounded in bytes too, well below the collector's message limit.</summary>
    private const int MaxResultBatchBytes = 1024 * 1024;

    private readonly CommandVerifier _verifier;
    private readonly CommandJournal _journal;
    private readonly ActionRunner _actions;
    private readonly IOutbox _outbox;
    private readonly CommandStatistics _statistics;
    private readonly CommandOptions _options;
    private readonly LocalPolicy _policy;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CommandExecutor> _logger;
    private readonly Channel<Command> _queue;
    private readonly Channel<CommandResult> _results;
    private volatile bool _stopping;

    public CommandExecutor(
        CommandVerifier verifier,
        CommandJournal journal,
        ActionRunner actions,
        IOutbox outbox,
        CommandStatistics statistics,
        IOptions<CommandOptions> options,
        IOptions<LocalPolicy> policy,
        TimeProvider timeProvider,
        ILogger<CommandExecutor> logger)
    {
        _verifier = verifier;
        _journal = journal;
        _actions = actions;
        _outbox = outbox;
        _statistics = statistics;
        _options = options.Value;
        _policy = policy.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _queue = Channel.CreateBounded<Command>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _results = Channel.CreateBounded<CommandResult>(new BoundedChannelOptions(ResultQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public bool ActionsEnabled => _policy.IsLoaded;

    public void Submit(SignedCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _statistics.OnReceived();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        CommandVerification verification = _verifier.Verify(command, now);
        if (verification.Command is not { } verified)
        {
            Reject(verification.CommandId, verification.Rejection!, dryRun: false, now);
            return;
        }

        long nowMs = now.ToUnixTimeMilliseconds();
        JournalAdmission admission = _journal.Admit(verified, nowMs);
        switch (admission.Kind)
        {
            case JournalAdmissionKind.AlreadyRun:
                _statistics.OnResent();
                LogResent(_logger, verified.CommandId, admission.StoredResult!.Status);
                Publish(admission.StoredResult);
                return;
            case JournalAdmissionKind.InFlight:
                LogDuplicateInFlight(_logger, verified.CommandId);
                return;
            case JournalAdmissionKind.NonceReused:
                Reject(verified.CommandId, new CommandRejection(RejectionCodes.ReplayedNonce,
                    $"Its nonce was already used by command '{admission.NonceOwner}'. The collector never reuses a nonce, so this is a replayed " +
                    "or duplicated message; it was not run."), verified.DryRun, now);
                return;
            case JournalAdmissionKind.Full:
                Reject(verified.CommandId, new CommandRejection(RejectionCodes.JournalFull,
                    $"This agent already remembers {_options.MaxRememberedCommands} unexpired commands (Agent:Commands:MaxRememberedCommands) and " +
                    "accepts no more until some expire; it was not run. Shorter command expiries keep this number low."), verified.DryRun, now);
                return;
        }

        if (_stopping)
        {
            _journal.Withdraw(verified.CommandId);
            LogNotQueuedStopping(_logger, verified.CommandId);
            return;
        }

        if (!_queue.Writer.TryWrite(verified))
        {
            var rejection = new CommandRejection(RejectionCodes.QueueFull,
                $"The agent's command queue is full ({_options.QueueCapacity} commands waiting, Agent:Commands:QueueCapacity); it was not run. " +
                "Send it again as a new command once the queue has drained, and check why so many commands are sent to this agent at once.");
            CommandResult result = Rejected(verified.CommandId, rejection, verified.DryRun, now);
            _journal.Record(verified, result, nowMs);
            _statistics.OnRejected(rejection.Code);
            LogRejected(_logger, verified.CommandId, rejection.Code, rejection.Reason);
            Publish(result);
            return;
        }

        _statistics.OnQueued();
        LogQueued(_logger, verified.CommandId, verified.ActionCase.ToString(), verified.IssuedBy, verified.Reason);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogPolicy();
        foreach (CommandResult interrupted in _journal.TakeInterrupted())
        {
            Publish(interrupted);
        }

        Task publisher = PublishLoopAsync();
        try
        {
            await foreach (Command command in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                _statistics.OnDequeued();
                Publish(await RunAsync(command, stoppingToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _stopping = true;
            _queue.Writer.TryComplete();
            int notStarted = 0;
            while (_queue.Reader.TryRead(out Command? waiting))
            {
                _statistics.OnDequeued();
                _journal.Withdraw(waiting.CommandId);
                notStarted++;
            }

            if (notStarted > 0)
            {
                LogNotStarted(_logger, notStarted);
            }

            _results.Writer.TryComplete();
            await publisher.ConfigureAwait(false);
        }
    }

    /// <summary>Runs one queued command to its result. Internal so that tests can drive it directly.</summary>
    internal async Task<CommandResult> RunAsync(Command command, CancellationToken stoppingToken)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs > command.ExpiresUnixMs + (long)_options.ClockSkew.TotalMilliseconds)
        {
            var expired = new CommandRejection(RejectionCodes.Expired,
                "The command expired while it waited in the agent's queue behind other commands; it was not run. Send a new one if it is still needed.");
            CommandResult result = Rejected(command.CommandId, expired, command.DryRun, now);
            _journal.Record(command, result, nowMs);
            _statistics.OnRejected(expired.Code);
            LogRejected(_logger, command.CommandId, expired.Code, expired.Reason);
            return result;
        }

        _journal.Prune(nowMs);
        try
        {
            _journal.Begin(command, nowMs);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var unrecorded = new CommandRejection(RejectionCodes.StateUnwritable,
                $"The agent could not record the command in its state directory ({ex.Message}), so it did not run it: without the record a " +
                "restart could run it twice. Check the disk and permissions of the agent's state directory.");
            _statistics.OnRejected(unrecorded.Code);
            LogRejected(_logger, command.CommandId, unrecorded.Code, unrecorded.Reason);
            return Rejected(command.CommandId, unrecorded, command.DryRun, now);
        }

        LogStarting(_logger, command.CommandId, command.ActionCase.ToString(), command.DryRun);
        long started = _timeProvider.GetTimestamp();
        ActionOutcome outcome;
        try
        {
            outcome = await _actions.RunAsync(command, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            outcome = ActionOutcome.Failed("The agent was stopped while the command ran; it was interrupted and will not be run again. Check the state of what it acted on.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogActionCrashed(_logger, command.CommandId, ex);
            outcome = ActionOutcome.Failed($"The action failed unexpectedly ({ex.GetType().Name}: {ex.Message}); the agent log has the details.");
        }

        TimeSpan elapsed = _timeProvider.GetElapsedTime(started);
        var completed = new CommandResult
        {
            CommandId = command.CommandId,
            Status = outcome.Status,
            Reason = outcome.Reason,
            ExitCode = outcome.ExitCode,
            Output = outcome.Output,
            OutputTruncated = outcome.OutputTruncated,
            StartedUnixMs = nowMs,
            DurationMs = (long)elapsed.TotalMilliseconds,
            DryRun = command.DryRun,
        };
        _journal.Complete(command.CommandId, completed);
        if (outcome.Status == CommandStatus.Rejected)
        {
            _statistics.OnRejected(outcome.RejectionCode ?? RejectionCodes.PolicyDenied);
            LogRejected(_logger, command.CommandId, outcome.RejectionCode ?? RejectionCodes.PolicyDenied, outcome.Reason);
        }
        else
        {
            _statistics.OnFinished(outcome.Status);
            LogFinished(_logger, command.CommandId, outcome.Status, (long)elapsed.TotalMilliseconds, outcome.Reason);
        }

        return completed;
    }

    private void Reject(string commandId, CommandRejection rejection, bool dryRun, DateTimeOffset now)
    {
        _statistics.OnRejected(rejection.Code);
        LogRejected(_logger, commandId, rejection.Code, rejection.Reason);
        Publish(Rejected(commandId, rejection, dryRun, now));
    }

    private static CommandResult Rejected(string commandId, CommandRejection rejection, bool dryRun, DateTimeOffset now) => new()
    {
        CommandId = commandId,
        Status = CommandStatus.Rejected,
        Reason = rejection.Reason,
        StartedUnixMs = now.ToUnixTimeMilliseconds(),
        DryRun = dryRun,
    };

    private void Publish(CommandResult result)
    {
        if (!_results.Writer.TryWrite(result))
        {
            _statistics.OnResultDropped();
            LogResultDropped(_logger, result.CommandId, result.Status);
        }
    }

    /// <summary>Moves results into the outbox, several per batch when they come together; drains everything at shutdown.</summary>
    private async Task PublishLoopAsync()
    {
        ChannelReader<CommandResult> reader = _results.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var batch = new TelemetryBatch { CreatedUnixMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() };
            int bytes = 0;
            while (reader.TryPeek(out CommandResult? next) && (batch.CommandResults.Count == 0 || bytes + next.CalculateSize() <= MaxResultBatchBytes))
            {
                reader.TryRead(out _);
                batch.CommandResults.Add(next);
                bytes += next.CalculateSize();
            }

            try
            {
                // Not cancellable: a result that is ready must reach the outbox even while the agent stops.
                await _outbox.EnqueueAsync(batch, OutboxLane.Control, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                foreach (CommandResult lost in batch.CommandResults)
                {
                    _statistics.OnResultDropped();
                    LogResultDropped(_logger, lost.CommandId, lost.Status);
                }

                LogOutboxFailed(_logger, ex.Message);
            }
        }
    }

    private void LogPolicy()
    {
        if (_policy.Policy is not { } policy)
        {
            LogNoPolicy(_logger, _policy.Path);
            return;
        }

        LogPolicyLoaded(_logger, _policy.Path, policy.Services.Count, policy.Processes.Count, policy.Cleanup.Count,
            policy.Scripts.Allowed.Count, policy.Diagnostics.Enabled ? "allowed" : "off");
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information,
        Message = "Command policy {File} loaded: {Services} services, {Processes} process names, {Directories} cleanup directories, {Scripts} scripts, diagnostics {Diagnostics}. Only these actions are carried out.")]
    private static partial void LogPolicyLoaded(ILogger logger, string file, int services, int processes, int directories, int scripts, string diagnostics);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information,
        Message = "No command policy file at {File}: this agent carries out no actions and rejects every command (safe default). To allow actions, create it from install/linux/policy.json and restart the agent.")]
    private static partial void LogNoPolicy(ILogger logger, string file);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Rejected command {CommandId} ({Code}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string commandId, string code, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information,
        Message = "Queued command {CommandId} ({Action}) from {IssuedBy}: {Reason}")]
    private static partial void LogQueued(ILogger logger, string commandId, string action, string issuedBy, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Running command {CommandId} ({Action}, dry run: {DryRun}).")]
    private static partial void LogStarting(ILogger logger, string commandId, string action, bool dryRun);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information, Message = "Command {CommandId} finished: {Status} after {DurationMs} ms. {Reason}")]
    private static partial void LogFinished(ILogger logger, string commandId, CommandStatus status, long durationMs, string reason);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information,
        Message = "Command {CommandId} was received again; it ran already ({Status}), so its stored result is sent again instead of running it twice.")]
    private static partial void LogResent(ILogger logger, string commandId, CommandStatus status);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Information,
        Message = "Command {CommandId} was received again while it is queued or running; its result will follow once.")]
    private static partial void LogDuplicateInFlight(ILogger logger, string commandId);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Warning,
        Message = "The agent is stopping: {Count} queued commands were not started. The collector sends them again if they are still valid.")]
    private static partial void LogNotStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information,
        Message = "Command {CommandId} arrived while the agent is stopping; not queued. The collector sends it again if it is still valid.")]
    private static partial void LogNotQueuedStopping(ILogger logger, string commandId);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Error,
        Message = "The result of command {CommandId} ({Status}) could not be queued for the collector and is lost; the agent's journal still has it for a repeated command.")]
    private static partial void LogResultDropped(ILogger logger, string commandId, CommandStatus status);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Error, Message = "Could not put command results into the outbox: {Problem}")]
    private static partial void LogOutboxFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Error, Message = "The action of command {CommandId} failed unexpectedly; it is reported as failed.")]
    private static partial void LogActionCrashed(ILogger logger, string commandId, Exception exception);
}
