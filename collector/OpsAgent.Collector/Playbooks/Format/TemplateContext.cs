using OpsAgent.Collector.Playbooks.Engine;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>The values a step's parameters may reference: the trigger's host, ids, metric, severity and labels.</summary>
internal sealed class TemplateContext(string playbook, PlaybookTrigger trigger)
{
    /// <summary>Every variable name a template may use; <c>labels.NAME</c> stands for any label.</summary>
    public static IReadOnlyList<string> Variables { get; } = ["host", "agent_id", "incident_id", "metric", "severity", "playbook", "labels.NAME"];

    public const string LabelPrefix = "labels.";

    public static bool IsKnown(string variable) =>
        variable is "host" or "agent_id" or "incident_id" or "metric" or "severity" or "playbook"
        || (variable.StartsWith(LabelPrefix, StringComparison.Ordinal) && IsLabelName(variable.AsSpan(LabelPrefix.Length)));

    public bool TryGet(string variable, out string value)
    {
        string? found = variable switch
        {
            "host" => trigger.Host,
            "agent_id" => trigger.AgentId,
            "incident_id" => trigger.IncidentId,
            "metric" => trigger.Metric,
            "severity" => SeverityScale.Name(trigger.Severity),
            "playbook" => playbook,
            _ when variable.StartsWith(LabelPrefix, StringComparison.Ordinal) =>
                trigger.Labels.TryGetValue(variable[LabelPrefix.Length..], out string? label) ? label : null,
            _ => null,
        };
        value = found ?? "";
        return found is { Length: > 0 };
    }

    private static bool IsLabelName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
