namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// A parsed, valid playbook. Produced only by <see cref="PlaybookParser"/>, which guarantees every invariant the
/// engine relies on (at least one step, guards in range, templates that reference known variables).
/// </summary>
/// <param name="Name">Lowercase letters, digits and '-'; commands carry <c>issued_by = playbook:NAME</c>.</param>
/// <param name="Description">Free text for people.</param>
/// <param name="Enabled">A disabled playbook is loaded and listed but never starts a run.</param>
/// <param name="Match">Which triggers it acts on.</param>
/// <param name="Steps">The actions, tried in order until the signal recovers.</param>
/// <param name="Guards">Cooldown, budget, approval, dry run, circuit breaker.</param>
/// <param name="VerifyWindow">How long after a step the signal has to recover before the next step (or escalation).</param>
/// <param name="Source">The YAML text it was parsed from; runs keep it so they finish with the definition they began with.</param>
internal sealed record Playbook(
    string Name,
    string Description,
    bool Enabled,
    PlaybookMatch Match,
    IReadOnlyList<PlaybookStep> Steps,
    PlaybookGuards Guards,
    TimeSpan VerifyWindow,
    string Source)
{
    public static TimeSpan DefaultVerifyWindow { get; } = TimeSpan.FromMinutes(5);

    public static TimeSpan DefaultStepTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The <c>Command.issued_by</c> of this playbook's commands.</summary>
    public string IssuedBy => "playbook:" + Name;
}
