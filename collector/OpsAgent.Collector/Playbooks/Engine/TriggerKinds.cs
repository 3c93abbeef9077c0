namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>The YAML names of <see cref="TriggerKind"/>.</summary>
internal static class TriggerKinds
{
    public static IReadOnlyList<string> Names { get; } = ["anomaly_raised", "incident_opened", "incident_escalated", "exhaustion_forecast"];

    public static string Name(TriggerKind kind) => Names[(int)kind];

    public static bool TryParse(string name, out TriggerKind kind)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                kind = (TriggerKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
