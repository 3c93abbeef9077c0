using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Playbooks.Persistence;
using OpsAgent.Collector.Storage;

namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>
/// The playbook engine: a deterministic state machine. Each call to <see cref="Handle"/> takes one event, reads the
/// time from the injected <see cref="TimeProvider"/>, updates the runs, saves what changed, and returns decisions for
/// the caller to carry out. It never sleeps, sends or waits itself, so every path can be driven in a test by events
/// and fake time, and a restart resumes from what was saved.
/// </summary>
/// <remarks>
/// Not thread-safe: one caller (<see cref="PlaybookRunner"/>) feeds it events one at a time. <see cref="Runs"/> is a
/// snapshot that other threads may read at any time.
/// </remarks>
internal sealed partial class PlaybookEngine
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>The longest cooldown the parser accepts; older "last run ended" records can never block a run.</summary>
    private static readonly TimeSpan MaxCooldown = TimeSpan.FromDays(30);

    private readonly IPlaybookCatalog _catalog;
    private readonly IPlaybookStateRepository _repository;
    private readonly TimeProvider _time;
    private readonly PlaybookOptions _options;
    private readonly PlaybookCounters _counters;
    private readonly ILogger<PlaybookEngine> _logger;

    private readonly Dictionary<string, PlaybookRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Playbook, string AgentId, string IncidentId), string> _runByIncident = [];
    private readonly Dictionary<string, string> _runByCommand = new(StringComparer.Ordinal);
    private readonly Dictionary<PlaybookTarget, DateTimeOffset> _lastEnded = [];
    private readonly Dictionary<PlaybookTarget, CircuitBreakerState> _breakers = [];
    private PlaybookStateChanges _changes = new();
    private List<PlaybookDecision> _decisions = [];
    private DateTimeOffset _now;
    private DateTimeOffset _lastPrune;
    private bool _started;
    private bool _runsChanged;
    private bool _breakersChanged;
    private volatile IReadOnlyList<PlaybookRun> _snapshot = [];
    private volatile IReadOnlyList<CircuitBreakerState> _breakerSnapshot = [];

    public PlaybookEngine(
        IPlaybookCatalog catalog,
        IPlaybookStateRepository repository,
        TimeProvider time,
        IOptions<PlaybookOptions> options,
        PlaybookCounters counters,
        ILogger<PlaybookEngine> logger)
    {
        _catalog = catalog;
        _repository = repository;
        _time = time;
        _options = options.Value;
        _counters = counters;
        _logger = logger;
    }

    /// <summary>Active runs and runs ended within the retention, oldest first. Safe to read from any thread.</summary>
    public IReadOnlyList<PlaybookRun> Runs => _snapshot;

    /// <summary>Circuit breakers that are open, half-open, or closed with failures counted. Safe to read from any thread.</summary>
    public IReadOnlyList<CircuitBreakerState> Breakers => _breakerSnapshot;

    /// <summary>
    /// Loads the saved state and resumes: deadlines that passed while the collector was down are handled now, and
    /// runs still waiting for an approval or a result repeat that decision with <c>Redelivery = true</c>, so a command
    /// the dispatcher never received is sent and one it has is recognised by its id.
    /// </summary>
    public IReadOnlyList<PlaybookDecision> Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("The playbook engine is already started.");
        }

        _now = _time.GetUtcNow();
        _lastPrune = _now;
        PlaybookStateSnapshot state = _repository.Load();
        foreach (UnreadableRun unreadable in state.Unreadable)
        {
            LogUnreadableRun(_logger, unreadable.RunId, unreadable.Playbook, unreadable.AgentId, unreadable.IncidentId, unreadable.Problem);

            // Its incident already had its run; a new run for it would also collide with the stored row.
            _runByIncident[(unreadable.Playbook, unreadable.AgentId, unreadable.IncidentId)] = unreadable.RunId;
            if (unreadable.WasActive)
            {
                _changes.EndUnreadable[unreadable.RunId] = $"The run could not be resumed after a restart: {unreadable.Problem}";
            }
        }

        foreach (PlaybookRun run in state.Runs)
        {
            Track(run);
        }

        foreach ((PlaybookTarget target, DateTimeOffset ended) in state.LastRunEnded)
        {
            _lastEnded[target] = ended;
        }

        foreach (CircuitBreakerState breaker in state.Breakers)
        {
            _breakers[breaker.Target] = breaker;
        }

        _started = true;
        _runsChanged = true;
        _breakersChanged = true;

        // Commands handed out before the restart; a step begun just now by an expired deadline is sent once, as new.
        HashSet<string> outstanding = [.. ActiveRuns().Where(r => r.Command is not null).Select(r => r.Command!.CommandId)];
        AdvanceDeadlines();
        CancelRunsOfDisabledPlaybooks();
        int resumed = 0;
        foreach (PlaybookRun run in ActiveRuns())
        {
            resumed++;
            if (run.Command is not { } command || !outstanding.Contains(command.CommandId))
            {
                continue;
            }

            if (run.State == RunState.AwaitingResult)
            {
                Emit(new PlaybookDecision.SendCommand(run, command.Clone(), Redelivery: true));
            }
            else if (run.State == RunState.AwaitingApproval)
            {
                Emit(new PlaybookDecision.RequestApproval(run, command.Clone(), run.Deadline!.Value, Redelivery: true));
            }
        }

        LogResumed(_logger, resumed, state.Runs.Count);
        return Finish();
    }

    /// <summary>Processes one event and returns what to do about it.</summary>
    public IReadOnlyList<PlaybookDecision> Handle(PlaybookInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_started)
        {
            throw new InvalidOperationException("Call Start() before Handle(): the engine must load its saved state first.");
        }

        _now = _time.GetUtcNow();

        // Deadlines first: time has moved to now, so whatever expired before this event expired before it.
        AdvanceDeadlines();
        CancelRunsOfDisabledPlaybooks();
        switch (input)
        {
            case PlaybookInput.TriggerRaised raised:
                OnTriggerRaised(raised.Trigger);
                break;
            case PlaybookInput.TriggerRecovered recovered:
                OnTriggerRecovered(recovered.AgentId, recovered.IncidentId);
                break;
            case PlaybookInput.CommandResultReceived result:
                OnCommandResult(result.AgentId, result.Result);
                break;
            case PlaybookInput.ApprovalDecided approval:
                OnApprovalDecided(approval);
                break;
        }

        PruneIfDue();
        return Finish();
    }

    private IEnumerable<PlaybookRun> ActiveRuns() => [.. _runs.Values.Where(r => r.IsActive).OrderBy(r => r.StartedAt)];

    private void Track(PlaybookRun run)
    {
        _runs[run.RunId] = run;
        _runByIncident[(run.PlaybookName, run.AgentId, run.IncidentId)] = run.RunId;
        if (run.IsActive && run.Command is { } command)
        {
            _runByCommand[command.CommandId] = run.RunId;
        }
    }

    /// <summary>Replaces a run and records it for the next save.</summary>
    private PlaybookRun Update(PlaybookRun run)
    {
        run = run with { UpdatedAt = _now };
        _runs[run.RunId] = run;
        _changes.Runs[run.RunId] = run;
        _runsChanged = true;
        return run;
    }

    private void Emit(PlaybookDecision decision) => _decisions.Add(decision);

    private void PruneIfDue()
    {
        if (_now - _lastPrune < PruneInterval)
        {
            return;
        }

        _lastPrune = _now;
        DateTimeOffset cutoff = _now - _options.RunRetention;
        foreach (PlaybookRun run in _runs.Values.Where(r => !r.IsActive && r.EndedAt < cutoff).ToList())
        {
            _runs.Remove(run.RunId);
            _runByIncident.Remove((run.PlaybookName, run.AgentId, run.IncidentId));
            _runsChanged = true;
        }

        foreach (PlaybookTarget target in _lastEnded.Where(e => e.Value < _now - MaxCooldown).Select(e => e.Key).ToList())
        {
            _lastEnded.Remove(target);
        }

        _changes.PruneRunsBefore = cutoff;
        _changes.PruneCooldownsBefore = _now - MaxCooldown;
    }

    private IReadOnlyList<PlaybookDecision> Finish()
    {
        if (!_changes.IsEmpty)
        {
            try
            {
                _repository.Save(_changes);
                _changes = new PlaybookStateChanges();
            }
            catch (Exception ex) when (ex is DbException or IOException or StorageUnavailableException)
            {
                // The decisions still go out: acting on an incident matters more than recording it. The changes are kept
                // and written with the next event's; only a crash before then would lose them.
                _counters.StateSaveFailed();
                LogSaveFailed(_logger, ex);
            }
        }

        if (_runsChanged)
        {
            _runsChanged = false;
            PlaybookRun[] runs = [.. _runs.Values.OrderBy(r => r.StartedAt).ThenBy(r => r.RunId, StringComparer.Ordinal)];
            _snapshot = runs;
            _counters.SetActiveRuns(runs.Count(r => r.IsActive));
        }

        if (_breakersChanged)
        {
            _breakersChanged = false;
            _breakerSnapshot = [.. _breakers.Values.OrderBy(b => b.Target.Playbook, StringComparer.Ordinal).ThenBy(b => b.Target.AgentId, StringComparer.Ordinal)];
        }

        List<PlaybookDecision> decisions = _decisions;
        _decisions = [];
        return decisions;
    }

    private static string NewRunId() => "r" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
