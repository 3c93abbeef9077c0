using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>Which triggers a playbook acts on. Every condition that is set must hold.</summary>
/// <param name="Kinds">Trigger kinds accepted (at least one).</param>
/// <param name="Metric">Glob on the trigger's metric name; a trigger without a metric does not match a set glob.</param>
/// <param name="LogTemplate">Glob on the trigger's log template.</param>
/// <param name="Host">Glob on the host name, case-insensitive.</param>
/// <param name="Labels">Labels the trigger must carry with exactly these values.</param>
/// <param name="MinSeverity">Lowest severity acted on.</param>
internal sealed record PlaybookMatch(
    IReadOnlySet<TriggerKind> Kinds,
    GlobPattern? Metric,
    GlobPattern? LogTemplate,
    GlobPattern? Host,
    IReadOnlyDictionary<string, string> Labels,
    TriggerSeverity MinSeverity)
{
    public bool Matches(PlaybookTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!Kinds.Contains(trigger.Kind) || trigger.Severity < MinSeverity)
        {
            return false;
        }

        if ((Metric is not null && !Metric.IsMatch(trigger.Metric))
            || (LogTemplate is not null && !LogTemplate.IsMatch(trigger.LogTemplate))
            || (Host is not null && !Host.IsMatch(trigger.Host)))
        {
            return false;
        }

        foreach ((string key, string value) in Labels)
        {
            if (!trigger.Labels.TryGetValue(key, out string? actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
