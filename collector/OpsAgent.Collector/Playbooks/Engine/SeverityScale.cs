namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>
/// The mapping from detection's outputs onto <see cref="TriggerSeverity"/>. Integration code calls these so that every
/// trigger of a kind is graded the same way, and the README documents the same thresholds for playbook authors.
/// </summary>
internal static class SeverityScale
{
    public static IReadOnlyList<string> Names { get; } = ["info", "warning", "critical"];

    /// <summary>
    /// An anomaly's score in [0, 1]: at least 0.95 is critical, at least 0.8 warning, anything lower info. Detection only
    /// raises an anomaly when the score stays high, so most anomalies are warnings and the clearest are critical.
    /// </summary>
    public static TriggerSeverity FromAnomalyScore(double score) => score switch
    {
        >= 0.95 => TriggerSeverity.Critical,
        >= 0.8 => TriggerSeverity.Warning,
        _ => TriggerSeverity.Info,
    };

    /// <summary>
    /// An exhaustion forecast: the resource runs out within 1 hour → critical, within 6 hours → warning, later → info.
    /// Pass the pessimistic end of the forecast's interval (its earliest exhaustion) when there is one.
    /// </summary>
    public static TriggerSeverity FromTimeToExhaustion(TimeSpan timeToExhaustion) =>
        timeToExhaustion <= TimeSpan.FromHours(1) ? TriggerSeverity.Critical
        : timeToExhaustion <= TimeSpan.FromHours(6) ? TriggerSeverity.Warning
        : TriggerSeverity.Info;

    /// <summary>An incident is as severe as its most severe anomaly; an escalated incident is always critical.</summary>
    public static TriggerSeverity ForIncident(IEnumerable<TriggerSeverity> anomalies, bool escalated) =>
        escalated ? TriggerSeverity.Critical : anomalies.DefaultIfEmpty(TriggerSeverity.Info).Max();

    public static string Name(TriggerSeverity severity) => Names[(int)severity];

    public static bool TryParse(string name, out TriggerSeverity severity)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                severity = (TriggerSeverity)i;
                return true;
            }
        }

        severity = default;
        return false;
    }
}
