using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpsAgent.Collector.Notifications;

/// <summary>
/// Alertmanager's webhook payload, version 4: the JSON Alertmanager POSTs to a webhook receiver, so anything that
/// accepts Alertmanager webhooks (incident tools, chat bridges, custom handlers) accepts OpsAgent's notifications.
/// One notification is one group with one alert, grouped by incident (or by command for approvals).
/// </summary>
/// <remarks>
/// The alert's labels are the same for every notification about one incident (opened, escalated, resolved), so its
/// <c>fingerprint</c> (Alertmanager's: 64-bit FNV-1a over the sorted label pairs) lets a receiver tie them together;
/// what changes (escalation, the playbook's account) is in the annotations.
/// </remarks>
internal static class AlertmanagerPayload
{
    public const string IncidentAlertName = "OpsAgentIncident";
    public const string ApprovalAlertName = "OpsAgentApprovalRequired";

    /// <summary>Go's zero time, which Alertmanager sends as <c>endsAt</c> of an alert without an end.</summary>
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    public static byte[] Build(NotificationEvent notification, string receiver, string externalUrl)
    {
        ArgumentNullException.ThrowIfNull(notification);
        SortedDictionary<string, string> labels = Labels(notification);
        SortedDictionary<string, string> annotations = Annotations(notification);
        string status = notification.IsResolved ? "resolved" : "firing";
        (string groupLabel, string groupValue) = notification.Kind == NotificationEventKind.ApprovalRequested
            ? ("command_id", notification.CommandId ?? "")
            : ("incident", notification.IncidentId);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "4");
            json.WriteString("groupKey", $"{{}}:{{{groupLabel}=\"{Escape(groupValue)}\"}}");
            json.WriteNumber("truncatedAlerts", 0);
            json.WriteString("status", status);
            json.WriteString("receiver", receiver);
            WriteMap(json, "groupLabels", new SortedDictionary<string, string>(StringComparer.Ordinal) { [groupLabel] = groupValue });
            WriteMap(json, "commonLabels", labels);
            WriteMap(json, "commonAnnotations", annotations);
            json.WriteString("externalURL", externalUrl);
            json.WriteStartArray("alerts");
            json.WriteStartObject();
            json.WriteString("status", status);
            WriteMap(json, "labels", labels);
            WriteMap(json, "annotations", annotations);
            json.WriteString("startsAt", Rfc3339(notification.StartsAt));
            json.WriteString("endsAt", notification.EndsAt is { } ends ? Rfc3339(ends) : ZeroTime);
            json.WriteString("generatorURL", externalUrl);
            json.WriteString("fingerprint", Fingerprint(labels));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Alertmanager's fingerprint: FNV-1a 64 over name, 0xFF, value, 0xFF for each label in name order, as 16 hex digits.</summary>
    public static string Fingerprint(IEnumerable<KeyValuePair<string, string>> labels)
    {
        const ulong Offset = 14695981039346656037;
        const ulong Prime = 1099511628211;
        ulong hash = Offset;
        foreach ((string name, string value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            foreach (byte b in Encoding.UTF8.GetBytes(name))
            {
                hash = (hash ^ b) * Prime;
            }

            hash = (hash ^ 0xFF) * Prime;
            foreach (byte b in Encoding.UTF8.GetBytes(value))
            {
                hash = (hash ^ b) * Prime;
            }

            hash = (hash ^ 0xFF) * Prime;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>A Prometheus label name from any label key: characters outside [A-Za-z0-9_] become '_' ("service.name" → "service_name").</summary>
    public static string LabelName(string key)
    {
        var name = new StringBuilder(key.Length);
        foreach (char c in key)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        return name.ToString();
    }

    internal static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static SortedDictionary<string, string> Labels(NotificationEvent n)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in n.Labels)
        {
            if (value.Length > 0)
            {
                labels[LabelName(key)] = value;
            }
        }

        // OpsAgent's own labels win over a signal label of the same name.
        labels["alertname"] = n.Kind == NotificationEventKind.ApprovalRequested ? ApprovalAlertName : IncidentAlertName;
        labels["incident"] = n.IncidentId;
        labels["host"] = n.Host;
        labels["agent_id"] = n.AgentId;
        labels["severity"] = n.Severity;
        Set(labels, "metric", n.Metric);
        if (n.Kind == NotificationEventKind.ApprovalRequested)
        {
            Set(labels, "playbook", n.Playbook);
            Set(labels, "command_id", n.CommandId);
        }

        return labels;
    }

    private static SortedDictionary<string, string> Annotations(NotificationEvent n)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = n.Summary,
            ["description"] = n.Description,
            ["event"] = EventName(n.Kind),
        };
        Set(annotations, "playbook", n.Playbook);
        Set(annotations, "action", n.Action);
        if (n.Kind == NotificationEventKind.ApprovalRequested && n.CommandId is { Length: > 0 } id)
        {
            annotations["approve"] = $"opsctl commands approve {id}";
        }

        return annotations;
    }

    internal static string EventName(NotificationEventKind kind) => kind switch
    {
        NotificationEventKind.IncidentOpened => "incident_opened",
        NotificationEventKind.IncidentEscalated => "incident_escalated",
        NotificationEventKind.IncidentResolved => "incident_resolved",
        _ => "approval_requested",
    };

    private static void Set(SortedDictionary<string, string> map, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            map[key] = value;
        }
    }

    private static void WriteMap(Utf8JsonWriter json, string name, SortedDictionary<string, string> map)
    {
        json.WriteStartObject(name);
        foreach ((string key, string value) in map)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
