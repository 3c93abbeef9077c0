using System.Text;
using System.Text.Json;

namespace OpsAgent.Collector.Notifications;

/// <summary>
/// A Slack incoming-webhook message: <c>text</c> (the notification line and the fallback for clients without
/// blocks) and <c>blocks</c> (header, summary, fields, how to act). Mattermost and Rocket.Chat accept the same.
/// Lengths are cut to Slack's limits (header 150, section text 3000, field 2000 characters).
/// </summary>
internal static class SlackPayload
{
    public static byte[] Build(NotificationEvent notification, string externalUrl)
    {
        ArgumentNullException.ThrowIfNull(notification);
        NotificationEvent n = notification;
        (string emoji, string headline) = n.Kind switch
        {
            NotificationEventKind.IncidentOpened => (":rotating_light:", $"Incident opened on {n.Host}"),
            NotificationEventKind.IncidentEscalated => (":sos:", $"Incident escalated on {n.Host}: needs a person"),
            NotificationEventKind.IncidentResolved => (":white_check_mark:", $"Incident resolved on {n.Host}"),
            _ => (":raised_hand:", $"Approval needed on {n.Host}"),
        };
        string status = n.IsResolved ? "RESOLVED" : "FIRING";

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", Cut($"{emoji} [{status}] {headline}: {n.Summary}", 3000));
            json.WriteStartArray("blocks");

            json.WriteStartObject();
            json.WriteString("type", "header");
            PlainText(json, "text", Cut($"{emoji} {headline}", 150));
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "section");
            Markdown(json, "text", Cut($"*{Escape(n.Summary)}*" + (n.Description.Length > 0 ? "\n" + Escape(n.Description) : ""), 3000));
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "section");
            json.WriteStartArray("fields");
            Field(json, "Severity", n.Severity);
            Field(json, "Incident", n.IncidentId);
            Field(json, "Host", n.Host);
            if (n.Metric is { Length: > 0 } metric)
            {
                Field(json, "Metric", metric);
            }

            if (n.Playbook is { Length: > 0 } playbook)
            {
                Field(json, "Playbook", playbook);
            }

            if (n.Action is { Length: > 0 } action)
            {
                Field(json, "Action", action);
            }

            json.WriteEndArray();
            json.WriteEndObject();

            string context = n.Kind == NotificationEventKind.ApprovalRequested && n.CommandId is { Length: > 0 } id
                ? $"Approve with `opsctl commands approve {Escape(id)}`" + (n.EndsAt is { } lapse ? $" before {AlertmanagerPayload.Rfc3339(lapse)}" : "")
                : $"Since {AlertmanagerPayload.Rfc3339(n.StartsAt)}" + (n.EndsAt is { } ended && n.IsResolved ? $", resolved {AlertmanagerPayload.Rfc3339(ended)}" : "");
            if (externalUrl.Length > 0)
            {
                context += $" · <{externalUrl}|collector>";
            }

            json.WriteStartObject();
            json.WriteString("type", "context");
            json.WriteStartArray("elements");
            json.WriteStartObject();
            json.WriteString("type", "mrkdwn");
            json.WriteString("text", Cut(context, 3000));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Slack's mrkdwn escaping: &amp;, &lt; and &gt; only.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static void Field(Utf8JsonWriter json, string title, string value)
    {
        json.WriteStartObject();
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", Cut($"*{title}*\n{Escape(value)}", 2000));
        json.WriteEndObject();
    }

    private static void PlainText(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "plain_text");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static void Markdown(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = new StringBuilder(text, 0, max - 1, max);
        return cut.Append('…').ToString();
    }
}
