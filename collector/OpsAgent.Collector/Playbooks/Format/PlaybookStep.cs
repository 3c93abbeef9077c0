namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>One step of a playbook's <c>actions</c> list.</summary>
/// <param name="Number">1-based position in the list, as admins count steps.</param>
/// <param name="Action">What the step does.</param>
/// <param name="Timeout">How long the agent may take to carry it out (<c>Command.timeout_seconds</c>).</param>
internal sealed record PlaybookStep(int Number, StepAction Action, TimeSpan Timeout);
