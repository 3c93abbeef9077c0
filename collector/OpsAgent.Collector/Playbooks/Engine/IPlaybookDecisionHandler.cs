namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>
/// Receives the engine's decisions. Register implementations in the service collection; the runner calls each in
/// registration order. Implementations must be quick (enqueue, write a row): the runner processes one event at a time.
/// </summary>
internal interface IPlaybookDecisionHandler
{
    ValueTask HandleAsync(IReadOnlyList<PlaybookDecision> decisions, CancellationToken cancellationToken);
}
