using Microsoft.Extensions.Options;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions;

/// <summary>
/// Hands a verified command to the handler of its action, under the local policy. Without a policy file nothing is
/// allowed; deploying and rolling back artifacts belong to rollouts, which this agent version does not carry out.
/// </summary>
internal sealed class ActionRunner
{
    private readonly LocalPolicy _policy;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<Command.ActionOneofCase, IActionHandler> _handlers;

    public ActionRunner(IOptions<LocalPolicy> policy, IEnumerable<IActionHandler> handlers, TimeProvider timeProvider)
    {
        _policy = policy.Value;
        _timeProvider = timeProvider;
        _handlers = handlers.ToDictionary(h => h.Action);
    }

    public Task<ActionOutcome> RunAsync(Command command, CancellationToken cancellationToken)
    {
        if (_policy.Policy is not { } policy)
        {
            return Task.FromResult(new ActionOutcome(CommandStatus.Rejected,
                $"This agent has no local policy file ({_policy.Path}), so it carries out no actions. To allow actions, create it " +
                "(see the example install/linux/policy.json) and restart the agent.",
                RejectionCodes.NoPolicy));
        }

        switch (command.ActionCase)
        {
            case Command.ActionOneofCase.None:
                return Task.FromResult(ActionOutcome.Invalid("The command names no action; nothing was done."));
            case Command.ActionOneofCase.Deploy:
            case Command.ActionOneofCase.Rollback:
                return Task.FromResult(ActionOutcome.Unsupported(
                    $"{(command.ActionCase == Command.ActionOneofCase.Deploy ? "Deploying" : "Rolling back")} artifacts is part of rollouts, " +
                    "which this agent version does not carry out; nothing was done. Upgrade the agent to one that advertises the \"deploy\" capability."));
        }

        return _handlers.TryGetValue(command.ActionCase, out IActionHandler? handler)
            ? handler.RunAsync(new ActionContext(command, policy, _policy.Path, _timeProvider), cancellationToken)
            : Task.FromResult(ActionOutcome.Unsupported($"This agent version cannot carry out {command.ActionCase} actions; nothing was done."));
    }
}
