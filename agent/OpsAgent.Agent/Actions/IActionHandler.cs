using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions;

/// <summary>
/// Carries out one kind of action. A handler checks the request against the local policy first and refuses
/// (<see cref="ActionOutcome.Denied"/>) anything the policy does not allow; with dry_run it reports what it would do
/// and changes nothing. It enforces its own timeout and output limit.
/// </summary>
internal interface IActionHandler
{
    Command.ActionOneofCase Action { get; }

    Task<ActionOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken);
}
