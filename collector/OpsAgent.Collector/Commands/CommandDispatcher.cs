using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Ingest;
using OpsAgent.Collector.Pki;
using OpsAgent.Collector.Playbooks;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Commands;

/// <summary>
/// Delivers commands to agents and keeps their records. A command is stored before anything is sent; it is signed with
/// the collector's command key once it may be sent (at once, or when an operator approved it) and written to its agent's
/// Connect stream when that agent is connected, else when it connects, until it expires. A command sent without a result
/// is sent again, the same signed bytes, when the agent reconnects: the agent runs a command id at most once and answers
/// a repeat with the result it already has. Results arrive in the agent's batches: <see cref="ScreenResults"/> keeps only
/// results of commands this collector sent to that agent, <see cref="CommandResultSink"/> stores them with the batch, and
/// <see cref="ResultsStoredAsync"/> hands them to the playbook engine and to whoever waits for them.
/// </summary>
/// <remarks>
/// One lock guards the working set (commands awaiting approval, delivery or a result) and their rows; commands are few
/// and each change is one short SQLite write. Writing to an agent's stream never waits (the connection's bounded queue
/// is offered the message; when it is full the send is tried again at the next sweep), so neither the playbook runner nor
/// the admin API ever waits on an agent's network.
/// </remarks>
internal sealed partial class CommandDispatcher : BackgroundService
{
    private const int AuditQueueCapacity = 1024;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>A playbook command that waits for approval past its deadline by this much is expired here if the engine did not withdraw it.</summary>
    private static readonly TimeSpan ApprovalSlack = TimeSpan.FromMinutes(1);

    private readonly CommandRepository _repository;
    private readonly ICommandSigner _signer;
    private readonly ConnectionRegistry _registry;
    private readonly PlaybookInbox _inbox;
    private readonly AuditLog _audit;
    private readonly CommandCounters _counters;
    private readonly TimeProvider _time;
    private readonly CommandOptions _options;
    private readonly ILogger<CommandDispatcher> _logger;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, CommandRecord> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentConnection> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Waiter>> _waiters = new(StringComparer.Ordinal);
    private readonly Channel<AuditEntry> _auditQueue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(AuditQueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private bool _loaded;
    private DateTimeOffset _lastPrune;

    public CommandDispatcher(
        CommandRepository repository,
        ICommandSigner signer,
        ConnectionRegistry registry,
        PlaybookInbox inbox,
        AuditLog audit,
        CommandCounters counters,
        TimeProvider time,
        IOptions<CommandOptions> options,
        ILogger<CommandDispatcher> logger)
    {
        _repository = repository;
        _signer = signer;
        _registry = registry;
        _inbox = inbox;
        _audit = audit;
        _counters = counters;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureLoaded();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Loads the commands still awaiting approval, delivery or a result (start-up; idempotent).</summary>
    public void EnsureLoaded()
    {
        lock (_sync)
        {
            EnsureLoadedLocked();
        }
    }

    /// <summary>The command with that id, or null.</summary>
    public CommandRecord? Find(string commandId)
    {
        lock (_sync)
        {
            EnsureLoadedLocked();
            return _open.GetValueOrDefault(commandId) ?? _repository.Get(commandId);
        }
    }

    public (List<CommandRecord> Commands, bool Truncated) List(CommandFilter filter) => _repository.List(filter);

    /// <summary>
    /// Makes an ad-hoc command (opsctl exec) for <paramref name="agentId"/>: assigns its id, issue time, expiry and nonce,
    /// signs it, stores it and sends it when the agent is connected. <paramref name="command"/> carries the action,
    /// issued_by, reason, dry_run and timeout.
    /// </summary>
    public CommandRecord Issue(string agentId, string hostname, Command command, string action)
    {
        ArgumentNullException.ThrowIfNull(command);
        DateTimeOffset now = _time.GetUtcNow();
        command.CommandId = "c" + RandomNumberGenerator.GetHexString(16, lowercase: true);
        command.AgentId = agentId;
        command.IssuedUnixMs = now.ToUnixTimeMilliseconds();
        command.ExpiresUnixMs = (now + _options.ExecExpiry).ToUnixTimeMilliseconds();
        command.Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(CommandSigner.NonceLength));
        lock (_sync)
        {
            EnsureLoadedLocked();
            int open = _open.Values.Count(r => r.AgentId == agentId);
            if (open >= _options.MaxOpenPerAgent)
            {
                throw new CommandDispatchException(CommandDispatchFailure.TooMany,
                    $"agent {agentId} ({hostname}) already has {open} unfinished commands (Collector:Commands:MaxOpenPerAgent); wait for them to finish or expire " +
                    "(opsctl commands --host " + hostname + ")");
            }

            CommandRecord record = NewRecord(command, hostname, action, CommandState.Queued, run: null, approvalDeadlineUnixMs: 0) with { Signed = _signer.Sign(command) };
            Apply(record, insert: true);
            _counters.Issued("user");
            LogIssued(_logger, record.CommandId, action, hostname, record.IssuedBy, record.Reason);
            TrySendLocked(record);
            return _open.GetValueOrDefault(record.CommandId) ?? record;
        }
    }

    /// <summary>A playbook wants <paramref name="command"/> sent (the engine stamped it). A known id is not made twice.</summary>
    public void OnPlaybookSend(PlaybookRun run, Command command, bool redelivery)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(command);
        lock (_sync)
        {
            EnsureLoadedLocked();
            if (_open.TryGetValue(command.CommandId, out CommandRecord? existing))
            {
                if (existing.State == CommandState.AwaitingApproval)
                {
                    // Approved: the engine stamped a fresh issue time, expiry and nonce just now, so it is signed only now.
                    long now = NowMs();
                    CommandRecord approved = existing with
                    {
                        State = CommandState.Queued,
                        Command = command,
                        Signed = _signer.Sign(command),
                        ApprovalDeadlineUnixMs = 0,
                        DecidedBy = existing.DecidedBy ?? run.ApprovedBy,
                        DecidedUnixMs = existing.DecidedUnixMs != 0 ? existing.DecidedUnixMs : now,
                        UpdatedUnixMs = now,
                    };
                    Apply(approved);
                    LogApprovedQueued(_logger, approved.CommandId, approved.Action, approved.Hostname, approved.DecidedBy ?? "an operator");
                    TrySendLocked(approved);
                }

                return; // queued or sent already: a redelivery after a restart
            }

            if (_repository.Get(command.CommandId) is { } stored)
            {
                // The engine repeats what it handed out before a restart. A result stored then may not have reached it (a stop
                // between the commit and the hand-over): give it again; the engine ignores what it has already seen.
                if (stored.Result is not null && !_inbox.TryPost(new PlaybookInput.CommandResultReceived(stored.AgentId, ToResult(stored))))
                {
                    LogInboxFull(_logger, stored.CommandId);
                }

                return;
            }

            CommandRecord record = NewRecord(command, run.Host, run.CurrentAction, CommandState.Queued, run, approvalDeadlineUnixMs: 0) with { Signed = _signer.Sign(command) };
            Apply(record, insert: true);
            _counters.Issued("playbook");
            LogIssued(_logger, record.CommandId, record.Action, record.Hostname, record.IssuedBy, record.Reason);
            TrySendLocked(record);
        }
    }

    /// <summary>A playbook's command must wait for an operator: stored unsigned (it is stamped and signed when approved).</summary>
    public void OnApprovalRequested(PlaybookRun run, Command command, DateTimeOffset deadline, bool redelivery)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(command);
        lock (_sync)
        {
            EnsureLoadedLocked();
            if (_open.ContainsKey(command.CommandId) || _repository.Get(command.CommandId) is not null)
            {
                return;
            }

            CommandRecord record = NewRecord(command, run.Host, run.CurrentAction, CommandState.AwaitingApproval, run, deadline.ToUnixTimeMilliseconds());
            Apply(record, insert: true);
            _counters.Issued("playbook");
            LogAwaitingApproval(_logger, record.CommandId, record.Action, record.Hostname, record.IssuedBy, deadline);
        }
    }

    /// <summary>A playbook no longer wants a command that waits for approval.</summary>
    public void OnApprovalWithdrawn(PlaybookRun run, string commandId, string reason)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_sync)
        {
            EnsureLoadedLocked();
            if (!_open.TryGetValue(commandId, out CommandRecord? record) || record.State != CommandState.AwaitingApproval)
            {
                return;
            }

            long now = NowMs();
            bool lapsed = record.ApprovalDeadlineUnixMs > 0 && now >= record.ApprovalDeadlineUnixMs;
            Apply(record with
            {
                State = lapsed ? CommandState.Expired : CommandState.Cancelled,
                StateReason = $"withdrawn by playbook {run.PlaybookName} before it was sent: {reason}",
                UpdatedUnixMs = now,
            });
        }
    }

    /// <summary>
    /// An operator approves a playbook's command. The playbook engine then stamps, and this dispatcher signs and sends
    /// it; the returned record shows that when it happened within a few seconds.
    /// </summary>
    public async Task<CommandRecord> ApproveAsync(string commandId, string approvedBy, string comment, CancellationToken cancellationToken)
    {
        CommandRecord record;
        lock (_sync)
        {
            record = PendingApproval(commandId, "approved");
            long now = NowMs();
            record = record with { DecidedBy = approvedBy, DecisionComment = comment, DecidedUnixMs = now, UpdatedUnixMs = now };
            Apply(record);
        }

        LogApproved(_logger, commandId, record.Action, record.Hostname, approvedBy);
        await _inbox.PostAsync(new PlaybookInput.ApprovalDecided(commandId, true, approvedBy, comment), cancellationToken).ConfigureAwait(false);
        await WaitAsync(commandId, r => r.State != CommandState.AwaitingApproval, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return Find(commandId) ?? record; // as it is now: queued, or already sent to a connected agent
    }

    /// <summary>An operator denies a playbook's command: it is never sent, and the playbook's run stops there.</summary>
    public async Task<CommandRecord> DenyAsync(string commandId, string deniedBy, string comment, CancellationToken cancellationToken)
    {
        CommandRecord record;
        lock (_sync)
        {
            record = PendingApproval(commandId, "denied");
            long now = NowMs();
            record = record with
            {
                State = CommandState.Denied,
                DecidedBy = deniedBy,
                DecisionComment = comment,
                DecidedUnixMs = now,
                UpdatedUnixMs = now,
                StateReason = $"denied by {deniedBy}" + (comment.Length > 0 ? ": " + comment : ""),
            };
            Apply(record);
        }

        LogDenied(_logger, commandId, record.Action, record.Hostname, deniedBy);
        await _inbox.PostAsync(new PlaybookInput.ApprovalDecided(commandId, false, deniedBy, comment), cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>
    /// The gateway welcomed an agent on a new stream: its queued commands go down now, and commands sent on an earlier
    /// stream without a result go again, the same bytes.
    /// </summary>
    public void AgentConnected(AgentConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_sync)
        {
            EnsureLoadedLocked();
            _streams[connection.AgentId] = connection;
            foreach (CommandRecord record in _open.Values.Where(r => r.AgentId == connection.AgentId).OrderBy(r => r.CreatedUnixMs).ToList())
            {
                TrySendLocked(record);
            }
        }
    }

    /// <summary>
    /// Keeps only the results of <paramref name="batch"/> that are for commands this collector sent to
    /// <paramref name="agentId"/> (the identity of the authenticated stream); each other one is removed and rejected in the
    /// ack with a code that says why.
    /// </summary>
    public void ScreenResults(string agentId, TelemetryBatch batch, ValidationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outcome);
        for (int i = batch.CommandResults.Count - 1; i >= 0; i--)
        {
            CommandResult result = batch.CommandResults[i];
            (string AgentId, bool Sent)? owner = null;
            lock (_sync)
            {
                EnsureLoadedLocked();
                if (_open.TryGetValue(result.CommandId, out CommandRecord? open))
                {
                    owner = (open.AgentId, open.SendCount > 0);
                }
            }

            owner ??= _repository.FindOwner(result.CommandId);
            (string? code, string? message) = owner switch
            {
                null => (RejectionCodes.UnknownCommand, $"command {result.CommandId} is not one this collector sent; its result is dropped. Was the collector's database replaced?"),
                { AgentId: var owned } when owned != agentId => (RejectionCodes.ForeignCommand,
                    $"command {result.CommandId} was sent to agent {owned}, not to agent {agentId}; an agent may report only its own commands, the result is dropped"),
                { Sent: false } => (RejectionCodes.UnknownCommand, $"command {result.CommandId} was never sent to an agent; its result is dropped"),
                _ => (null, null),
            };
            if (code is null)
            {
                continue;
            }

            batch.CommandResults.RemoveAt(i);
            outcome.Reject(code, result.CommandId, message!);
            _counters.ResultRefused(code);
            LogResultRefused(_logger, result.CommandId, agentId, code, message!);
        }

        outcome.AcceptedItems += batch.CommandResults.Count;
    }

    /// <summary>
    /// Results of <paramref name="agentId"/> were committed with their batch (not a duplicate): the working set, waiters,
    /// the audit log and the playbook engine learn of them. Waits while the engine's queue is full.
    /// </summary>
    public async Task ResultsStoredAsync(string agentId, IReadOnlyList<CommandResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (CommandResult result in results)
        {
            lock (_sync)
            {
                CommandRecord? stored = _repository.Get(result.CommandId);
                if (stored?.Result is not null && stored.AgentId == agentId)
                {
                    bool wasOpen = _open.Remove(stored.CommandId, out CommandRecord? before);
                    if (wasOpen)
                    {
                        Finished(stored);
                        if (before!.FirstSentUnixMs > 0)
                        {
                            _counters.RoundTrip(TimeSpan.FromMilliseconds(Math.Max(0, stored.Result.ReceivedUnixMs - before.FirstSentUnixMs)));
                        }
                    }
                    else
                    {
                        LogResultOfFinished(_logger, stored.CommandId, CommandStates.Name(stored.State), stored.Hostname);
                    }

                    Signal(stored);
                    PublishOpenCounts();
                }
            }

            await _inbox.PostAsync(new PlaybookInput.CommandResultReceived(agentId, result), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until the command satisfies <paramref name="until"/> or <paramref name="timeout"/> passes, and returns it as it
    /// is then; null when there is no such command.
    /// </summary>
    public async Task<CommandRecord?> WaitAsync(string commandId, Func<CommandRecord, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(until);
        Waiter waiter;
        lock (_sync)
        {
            EnsureLoadedLocked();
            CommandRecord? current = _open.GetValueOrDefault(commandId) ?? _repository.Get(commandId);
            if (current is null || until(current) || timeout <= TimeSpan.Zero)
            {
                return current;
            }

            waiter = new Waiter(until);
            if (!_waiters.TryGetValue(commandId, out List<Waiter>? list))
            {
                _waiters[commandId] = list = [];
            }

            list.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return Find(commandId);
        }
        finally
        {
            lock (_sync)
            {
                if (_waiters.TryGetValue(commandId, out List<Waiter>? list) && list.Remove(waiter) && list.Count == 0)
                {
                    _waiters.Remove(commandId);
                }
            }
        }
    }

    /// <summary>The CommandResult an agent sent, rebuilt from the stored record.</summary>
    public static CommandResult ToResult(CommandRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        CommandResultRecord r = record.Result ?? throw new ArgumentException("the command has no result", nameof(record));
        return new CommandResult
        {
            CommandId = record.CommandId,
            Status = r.Status,
            Reason = r.Reason,
            ExitCode = r.ExitCode,
            Output = r.Output,
            OutputTruncated = r.OutputTruncated,
            StartedUnixMs = r.StartedUnixMs,
            DurationMs = r.DurationMs,
            DryRun = r.DryRun,
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task sweeps = SweepLoopAsync(stoppingToken);
        try
        {
            await foreach (AuditEntry entry in _auditQueue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await _audit.RecordAsync(entry, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await sweeps.ConfigureAwait(false);
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SweepInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    Sweep();
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or Storage.StorageUnavailableException or InvalidOperationException)
                {
                    LogSweepFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is open stays in the table and is loaded at the next start.
        }
    }

    /// <summary>Expires what ran out of time and tries again the sends that found a full stream queue. Internal for tests.</summary>
    internal void Sweep()
    {
        DateTimeOffset now = _time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        lock (_sync)
        {
            EnsureLoadedLocked();
            foreach (CommandRecord record in _open.Values.OrderBy(r => r.CreatedUnixMs).ToList())
            {
                switch (record.State)
                {
                    case CommandState.Queued when nowMs > record.ExpiresUnixMs:
                        Apply(record with
                        {
                            State = CommandState.Expired,
                            UpdatedUnixMs = nowMs,
                            StateReason = $"agent {record.AgentId} ({record.Hostname}) was not connected before the command expired at {Time(record.ExpiresUnixMs)}; it was never sent",
                        });
                        break;
                    case CommandState.Queued:
                        TrySendLocked(record);
                        break;
                    case CommandState.Sent when nowMs > ResultDeadline(record):
                        Apply(record with
                        {
                            State = CommandState.Expired,
                            UpdatedUnixMs = nowMs,
                            StateReason = $"sent {record.SendCount} time(s), last at {Time(record.LastSentUnixMs)}, and no result came by {Time(ResultDeadline(record))}: "
                                + $"the agent stayed offline until the command expired, or lost it. Look for {record.CommandId} in the agent's log",
                        });
                        break;
                    case CommandState.AwaitingApproval when record.ApprovalDeadlineUnixMs > 0 && nowMs > record.ApprovalDeadlineUnixMs + (long)ApprovalSlack.TotalMilliseconds:
                        Apply(record with
                        {
                            State = CommandState.Expired,
                            UpdatedUnixMs = nowMs,
                            StateReason = $"nobody approved it by {Time(record.ApprovalDeadlineUnixMs)}",
                        });
                        break;
                }
            }
        }

        if (now - _lastPrune >= PruneInterval)
        {
            _lastPrune = now;
            int deleted = _repository.DeleteFinishedBefore((now - _options.Retention).ToUnixTimeMilliseconds());
            if (deleted > 0)
            {
                LogPruned(_logger, deleted, _options.Retention);
            }
        }
    }

    private long ResultDeadline(CommandRecord record) =>
        record.ExpiresUnixMs + (record.Command.TimeoutSeconds * 1000L) + (long)_options.ResultGrace.TotalMilliseconds;

    private CommandRecord PendingApproval(string commandId, string verb)
    {
        EnsureLoadedLocked();
        CommandRecord record = _open.GetValueOrDefault(commandId) ?? _repository.Get(commandId)
            ?? throw new CommandDispatchException(CommandDispatchFailure.NotFound,
                $"no command '{commandId}'; `opsctl commands --pending` lists the commands awaiting approval");
        if (record.State != CommandState.AwaitingApproval)
        {
            string why = record.StateReason.Length > 0 ? $" ({record.StateReason})" : "";
            throw new CommandDispatchException(CommandDispatchFailure.WrongState,
                $"command {commandId} is {CommandStates.Name(record.State)}{why}, not awaiting approval; it was not {verb}");
        }

        return record;
    }

    /// <summary>Offers a signed command to its agent's stream if the agent is connected; never waits.</summary>
    private void TrySendLocked(CommandRecord record)
    {
        if (record.Signed is null || record.State is not (CommandState.Queued or CommandState.Sent))
        {
            return;
        }

        long now = NowMs();
        if (now > record.ExpiresUnixMs || !_streams.TryGetValue(record.AgentId, out AgentConnection? connection))
        {
            return; // expired (the sweep says so), or the agent is not connected: it goes when the agent connects
        }

        if (!ReferenceEquals(_registry.Find(record.AgentId), connection) || connection.Closed.IsCancellationRequested)
        {
            _streams.Remove(record.AgentId);
            return;
        }

        bool again = record.SendCount > 0;
        if (!connection.Outgoing.Writer.TryWrite(new CollectorMessage { Command = record.Signed }))
        {
            _counters.SendDeferred();
            LogSendDeferred(_logger, record.CommandId, record.Hostname);
            return;
        }

        Apply(record with
        {
            State = CommandState.Sent,
            FirstSentUnixMs = record.FirstSentUnixMs == 0 ? now : record.FirstSentUnixMs,
            LastSentUnixMs = now,
            SendCount = record.SendCount + 1,
            UpdatedUnixMs = now,
        });
        _counters.Sent(again);
        if (again)
        {
            LogResent(_logger, record.CommandId, record.Hostname, record.SendCount + 1);
        }
        else
        {
            LogSent(_logger, record.CommandId, record.Action, record.Hostname);
        }
    }

    /// <summary>Stores a change and updates the working set, waiters and counters. Caller holds the lock.</summary>
    private void Apply(CommandRecord next, bool insert = false)
    {
        bool written = insert ? _repository.Insert(next) : _repository.Update(next);
        if (!written)
        {
            // Insert: the id exists (a repeat). Update: the agent's result was stored meanwhile, and the stored row wins.
            CommandRecord? stored = _repository.Get(next.CommandId);
            if (!insert && stored is not null)
            {
                if (_open.Remove(next.CommandId))
                {
                    Finished(stored);
                }

                Signal(stored);
                PublishOpenCounts();
            }

            return;
        }

        if (next.IsFinal)
        {
            if (_open.Remove(next.CommandId) || insert)
            {
                Finished(next);
            }
        }
        else
        {
            _open[next.CommandId] = next;
        }

        Signal(next);
        PublishOpenCounts();
    }

    private void Finished(CommandRecord record)
    {
        _counters.Finished(record.State);
        string outcome = record.Result is { } r
            ? $"{(r.DryRun ? "dry run, " : "")}exit code {r.ExitCode}, {r.DurationMs} ms" + (r.Reason.Length > 0 ? ": " + r.Reason : r.Output.Length > 0 ? ": " + r.Output : "")
            : record.StateReason;
        LogFinished(_logger, record.CommandId, record.Action, record.Hostname, CommandStates.Name(record.State), outcome);
        var entry = new AuditEntry(
            NowMs(), "collector", record.CommandId, record.IssuedBy, "", "command.finished", CommandStates.Name(record.State),
            $"command {record.CommandId} ({record.Action}) on {record.Hostname} ({record.AgentId}), issued by {record.IssuedBy}, reason: {record.Reason}; {outcome}",
            "");
        if (!_auditQueue.Writer.TryWrite(entry))
        {
            LogAuditDropped(_logger, record.CommandId);
        }
    }

    private void Signal(CommandRecord record)
    {
        if (!_waiters.TryGetValue(record.CommandId, out List<Waiter>? list))
        {
            return;
        }

        foreach (Waiter waiter in list)
        {
            if (waiter.Until(record))
            {
                waiter.Completion.TrySetResult(record);
            }
        }
    }

    private void PublishOpenCounts() => _counters.SetOpen(_open.Values.Select(r => r.State));

    private void EnsureLoadedLocked()
    {
        if (_loaded)
        {
            return;
        }

        foreach (CommandRecord record in _repository.LoadOpen())
        {
            _open[record.CommandId] = record;
        }

        _loaded = true;
        _lastPrune = _time.GetUtcNow() - PruneInterval + TimeSpan.FromMinutes(1);
        PublishOpenCounts();
        LogLoaded(_logger, _open.Count(r => r.Value.State == CommandState.AwaitingApproval), _open.Count(r => r.Value.State != CommandState.AwaitingApproval));
    }

    private CommandRecord NewRecord(Command command, string hostname, string action, CommandState state, PlaybookRun? run, long approvalDeadlineUnixMs)
    {
        long now = NowMs();
        return new CommandRecord(
            command.CommandId, command.AgentId, hostname, state, action, command.IssuedBy, command.Reason, command.DryRun,
            run?.PlaybookName, run?.RunId, run?.IncidentId, command, null, now, now, approvalDeadlineUnixMs,
            null, null, 0, 0, 0, 0, "", null);
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed class Waiter(Func<CommandRecord, bool> until)
    {
        public Func<CommandRecord, bool> Until { get; } = until;

        public TaskCompletionSource<CommandRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
