using Grpc.Core;
using Microsoft.Data.Sqlite;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Commands;
using OpsAgent.Collector.Playbooks.Catalog;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;
using CatalogOutcome = OpsAgent.Collector.Playbooks.Catalog.PlaybookApplyOutcome;
using CommandState = OpsAgent.Collector.Commands.CommandState;

namespace OpsAgent.Collector.Admin;

/// <summary>
/// The admin API's commands and playbooks. The caller is the API token's name ("user:NAME"; "user:insecure-local" when
/// the collector runs without authentication); each call's audit entry gets a detail line saying what it did.
/// </summary>
internal sealed partial class AdminService
{
    private const uint MaxWaitSeconds = 600;
    private const uint MaxTimeoutSeconds = 3600;
    private const int MaxReasonLength = 1000;
    private const int MaxCommentLength = 1000;
    private const int DefaultCommandLimit = 100;
    private const int MaxCommandLimit = 5000;
    private const uint DefaultExecTimeoutSeconds = 60;

    public override async Task<CommandInfo> ExecCommand(ExecCommandRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Host))
        {
            throw Invalid("host is required: a host name or agent id, as `opsctl agents` shows them");
        }

        if (request.WaitSeconds > MaxWaitSeconds || request.TimeoutSeconds > MaxTimeoutSeconds)
        {
            throw Invalid($"wait_seconds may be at most {MaxWaitSeconds} and timeout_seconds at most {MaxTimeoutSeconds}");
        }

        if (request.Reason.Length > MaxReasonLength || request.Reason.Any(char.IsControl))
        {
            throw Invalid($"reason must be at most {MaxReasonLength} characters without control characters");
        }

        AgentRecord agent = agents.Find(request.Host)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no agent with id or hostname '{request.Host}' has ever connected; `opsctl agents` lists them"));
        string caller = Caller(context);
        var command = new Protocol.Command
        {
            IssuedBy = caller,
            Reason = request.Reason.Length > 0 ? request.Reason : $"ad-hoc command by {caller}",
            DryRun = request.DryRun,
            TimeoutSeconds = request.TimeoutSeconds == 0 ? DefaultExecTimeoutSeconds : request.TimeoutSeconds,
        };
        string action = ExecActionBuilder.TryBuild(request, agent.AgentId, agent.Hostname, timeProvider.GetUtcNow(), command, out string error)
            ?? throw Invalid(error);
        CommandRecord record = Dispatch(() => commands.Issue(agent.AgentId, agent.Hostname, command, action));
        CallAudit.Of(context).Detail = $"command {record.CommandId}: {action} on {agent.Hostname}{(request.DryRun ? " (dry run)" : "")}";
        if (request.WaitSeconds > 0)
        {
            record = await commands.WaitAsync(record.CommandId, r => r.IsFinal, TimeSpan.FromSeconds(request.WaitSeconds), context.CancellationToken).ConfigureAwait(false) ?? record;
        }

        return RemediationMessages.ToMessage(record);
    }

    public override Task<ListCommandsResponse> ListCommands(ListCommandsRequest request, ServerCallContext context)
    {
        var states = new List<CommandState>();
        foreach (Protocol.CommandState requested in request.States)
        {
            states.Add(RemediationMessages.FromMessage(requested) ?? throw Invalid($"unknown command state {(int)requested}"));
        }

        if (request.PendingOnly)
        {
            states = [CommandState.AwaitingApproval];
        }

        long since = request.SinceUnixMs == 0 ? timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - DayMs : request.SinceUnixMs;
        int limit = request.Limit == 0 ? DefaultCommandLimit : (int)Math.Min(request.Limit, MaxCommandLimit);
        (List<CommandRecord> found, bool truncated) = Dispatch(() =>
            commands.List(new CommandFilter(states, NullIfEmpty(request.Host), request.PendingOnly ? 0 : since, NullIfEmpty(request.IncidentId), limit)));
        var response = new ListCommandsResponse { Truncated = truncated };
        response.Commands.Add(found.Select(RemediationMessages.ToMessage));
        return Task.FromResult(response);
    }

    public override async Task<CommandInfo> GetCommand(GetCommandRequest request, ServerCallContext context)
    {
        string id = RequiredId(request.CommandId);
        if (request.WaitSeconds > MaxWaitSeconds)
        {
            throw Invalid($"wait_seconds may be at most {MaxWaitSeconds}");
        }

        CommandRecord? record = request.WaitSeconds > 0
            ? await commands.WaitAsync(id, r => r.IsFinal, TimeSpan.FromSeconds(request.WaitSeconds), context.CancellationToken).ConfigureAwait(false)
            : Dispatch(() => commands.Find(id));
        return record is null
            ? throw new RpcException(new Status(StatusCode.NotFound, $"no command '{id}'; `opsctl commands` lists them (finished ones are kept for Collector:Commands:Retention)"))
            : RemediationMessages.ToMessage(record);
    }

    public override async Task<CommandInfo> ApproveCommand(ApproveCommandRequest request, ServerCallContext context)
    {
        string id = RequiredId(request.CommandId);
        string comment = Comment(request.Comment);
        string caller = Caller(context);
        CallAudit.Of(context).Detail = $"approve command {id}" + (comment.Length > 0 ? $": {comment}" : "");
        CommandRecord record = await DispatchAsync(() => commands.ApproveAsync(id, caller, comment, context.CancellationToken)).ConfigureAwait(false);
        CallAudit.Of(context).Detail = $"approved command {id} ({record.Action} on {record.Hostname}, {record.IssuedBy})" + (comment.Length > 0 ? $": {comment}" : "");
        return RemediationMessages.ToMessage(record);
    }

    public override async Task<CommandInfo> DenyCommand(DenyCommandRequest request, ServerCallContext context)
    {
        string id = RequiredId(request.CommandId);
        string comment = Comment(request.Comment);
        string caller = Caller(context);
        CallAudit.Of(context).Detail = $"deny command {id}" + (comment.Length > 0 ? $": {comment}" : "");
        CommandRecord record = await DispatchAsync(() => commands.DenyAsync(id, caller, comment, context.CancellationToken)).ConfigureAwait(false);
        CallAudit.Of(context).Detail = $"denied command {id} ({record.Action} on {record.Hostname}, {record.IssuedBy})" + (comment.Length > 0 ? $": {comment}" : "");
        return RemediationMessages.ToMessage(record);
    }

    public override Task<ListPlaybooksResponse> ListPlaybooks(ListPlaybooksRequest request, ServerCallContext context)
    {
        playbookStore.EnsureLoaded();
        IReadOnlyList<PlaybookRun> runs = playbookRunner.Runs;
        IReadOnlyList<CircuitBreakerState> breakers = playbookRunner.Breakers;
        var response = new ListPlaybooksResponse { Directory = playbookStore.Directory };
        foreach (PlaybookEntry entry in playbookStore.Entries)
        {
            Playbook playbook = entry.Playbook;
            var info = new PlaybookInfo
            {
                Name = playbook.Name,
                Description = playbook.Description,
                Enabled = playbook.Enabled,
                File = entry.File,
                ApprovalRequired = playbook.Guards.ApprovalRequired,
                DryRun = playbook.Guards.DryRun,
                RunsStarted = (ulong)playbookCounters.Started(playbook.Name),
                Source = playbook.Source,
            };
            info.Kinds.Add(playbook.Match.Kinds.Order().Select(TriggerKinds.Name));
            info.Actions.Add(playbook.Steps.Select(s => s.Action.Kind));
            info.ActiveRuns.Add(runs.Where(r => r.PlaybookName == playbook.Name && r.IsActive).Select(RemediationMessages.ToMessage));
            if (runs.Where(r => r.PlaybookName == playbook.Name && !r.IsActive).MaxBy(r => r.EndedAt) is { } last)
            {
                info.LastRun = RemediationMessages.ToMessage(last);
            }

            foreach (CircuitBreakerState breaker in breakers.Where(b => b.Target.Playbook == playbook.Name))
            {
                info.Breakers.Add(new CircuitBreakerInfo
                {
                    AgentId = breaker.Target.AgentId,
                    Hostname = runs.LastOrDefault(r => r.AgentId == breaker.Target.AgentId)?.Host ?? agents.Find(breaker.Target.AgentId)?.Hostname ?? "",
                    Position = RemediationMessages.Position(breaker.Position),
                    OpenedUnixMs = breaker.OpenedAt?.ToUnixTimeMilliseconds() ?? 0,
                    OpenUntilUnixMs = breaker.Position == BreakerPosition.Open && breaker.OpenedAt is { } opened
                        ? (opened + playbook.Guards.CircuitBreaker.OpenFor).ToUnixTimeMilliseconds()
                        : 0,
                    RecentFailures = (uint)breaker.Failures.Count,
                });
            }

            foreach (SkipReason reason in Enum.GetValues<SkipReason>())
            {
                long skipped = playbookCounters.SkippedCount(playbook.Name, reason);
                if (skipped > 0)
                {
                    info.Skips[SkipReasons.Name(reason)] = (ulong)skipped;
                }
            }

            response.Playbooks.Add(info);
        }

        response.Invalid.Add(playbookStore.InvalidFiles.Select(RemediationMessages.ToMessage));
        return Task.FromResult(response);
    }

    public override Task<ApplyPlaybookResponse> ApplyPlaybook(ApplyPlaybookRequest request, ServerCallContext context)
    {
        string yaml = PlaybookText(request.Yaml);
        PlaybookApplyResult result;
        try
        {
            result = playbookStore.Apply(yaml);
        }
        catch (IOException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }

        var response = new ApplyPlaybookResponse
        {
            Outcome = result.Outcome switch
            {
                CatalogOutcome.Created => ApplyPlaybookOutcome.Created,
                CatalogOutcome.Replaced => ApplyPlaybookOutcome.Replaced,
                CatalogOutcome.Unchanged => ApplyPlaybookOutcome.Unchanged,
                _ => ApplyPlaybookOutcome.Invalid,
            },
            Name = result.Playbook?.Name ?? "",
            File = result.File ?? "",
        };
        response.Problems.Add(result.Problems.Select(RemediationMessages.ToMessage));
        CallAudit.Of(context).Detail = result.Playbook is { } applied
            ? $"playbook {applied.Name} {result.Outcome.ToString().ToLowerInvariant()} ({result.File}; enabled: {applied.Enabled})"
            : $"invalid playbook refused ({result.Problems.Count} problem(s))";
        return Task.FromResult(response);
    }

    public override Task<ValidatePlaybookResponse> ValidatePlaybook(ValidatePlaybookRequest request, ServerCallContext context)
    {
        PlaybookParseResult result = PlaybookStore.Validate(PlaybookText(request.Yaml));
        var response = new ValidatePlaybookResponse { Valid = result.IsValid, Name = result.Playbook?.Name ?? "" };
        response.Problems.Add(result.Problems.Select(RemediationMessages.ToMessage));
        return Task.FromResult(response);
    }

    public override Task<DeletePlaybookResponse> DeletePlaybook(DeletePlaybookRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 256)
        {
            throw Invalid("name is required: the playbook's name, as `opsctl playbooks list` shows it");
        }

        string? file = playbookStore.Find(request.Name)?.File;
        bool removed;
        try
        {
            removed = playbookStore.Remove(request.Name);
        }
        catch (IOException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }

        if (!removed)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no playbook named '{request.Name}'; `opsctl playbooks list` shows the loaded ones"));
        }

        CallAudit.Of(context).Detail = $"playbook {request.Name} deleted ({file}); its active runs are cancelled";
        return Task.FromResult(new DeletePlaybookResponse { Name = request.Name, File = file ?? "" });
    }

    /// <summary>Who is calling, as commands record it: the API token's name, or insecure-local without authentication.</summary>
    private static string Caller(ServerCallContext context)
    {
        CallAudit audit = CallAudit.Of(context);
        return audit.ActorKind switch
        {
            "api_token" => "user:" + (audit.ActorName.Length > 0 ? audit.ActorName : audit.ActorId),
            "insecure" => "user:insecure-local",
            _ => "user:unknown",
        };
    }

    private static string RequiredId(string id) =>
        string.IsNullOrWhiteSpace(id) || id.Length > 128
            ? throw Invalid("command_id is required: the ID that `opsctl commands` shows")
            : id;

    private static string Comment(string comment) =>
        comment.Length > MaxCommentLength || comment.Any(char.IsControl)
            ? throw Invalid($"comment must be at most {MaxCommentLength} characters without control characters")
            : comment;

    private static string PlaybookText(string yaml) =>
        yaml.Length == 0 ? throw Invalid("yaml is required: the text of one playbook")
        : yaml.Length > YamlTreeReader.MaxLength ? throw Invalid($"the playbook has {yaml.Length} characters; at most {YamlTreeReader.MaxLength} are accepted. Split it into several playbooks.")
        : yaml;

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static T Dispatch<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is CommandDispatchException or SqliteException or StorageUnavailableException)
        {
            throw ToRpc(ex);
        }
    }

    private static async Task<T> DispatchAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CommandDispatchException or SqliteException or StorageUnavailableException)
        {
            throw ToRpc(ex);
        }
    }

    private static RpcException ToRpc(Exception ex) => ex switch
    {
        CommandDispatchException { Failure: CommandDispatchFailure.NotFound } => new(new Status(StatusCode.NotFound, ex.Message)),
        CommandDispatchException { Failure: CommandDispatchFailure.WrongState } => new(new Status(StatusCode.FailedPrecondition, ex.Message)),
        CommandDispatchException => new(new Status(StatusCode.ResourceExhausted, ex.Message)),
        _ => new(new Status(StatusCode.Unavailable, $"the collector could not read or write its command records: {ex.Message} Check its data directory and disk.")),
    };
}
