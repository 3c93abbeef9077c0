using System.Globalization;
using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Notifications;

/// <summary>
/// Binds <c>Collector:Notifications</c> by hand. The stock binder ignores unknown keys (a misspelt <c>Evnets</c> would
/// silently subscribe a receiver to everything) and throws on a bad enum value with a message that names neither key
/// nor fix; this binder records a problem for each and leaves the rest bound.
/// </summary>
internal static class NotificationOptionsBinder
{
    private const string Prefix = NotificationOptions.SectionName;
    private static readonly string[] SectionKeys = ["Receivers", "ExternalUrl", "QueueCapacity", "MaxAttempts", "InitialRetryDelay", "MaxRetryDelay", "MaxRetryAfter"];
    private static readonly string[] ReceiverKeys = ["Url", "Format", "Events", "Timeout", "Headers"];

    public static void Bind(IConfigurationSection section, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            string key = $"{Prefix}:{child.Key}";
            switch (Known(child.Key, SectionKeys))
            {
                case "Receivers":
                    foreach (IConfigurationSection receiver in child.GetChildren())
                    {
                        options.Receivers[receiver.Key] = BindReceiver(receiver, options.BindingProblems);
                    }

                    break;
                case "ExternalUrl":
                    options.ExternalUrl = child.Value ?? "";
                    break;
                case "QueueCapacity":
                    options.QueueCapacity = Int(child, key, options.QueueCapacity, options.BindingProblems);
                    break;
                case "MaxAttempts":
                    options.MaxAttempts = Int(child, key, options.MaxAttempts, options.BindingProblems);
                    break;
                case "InitialRetryDelay":
                    options.InitialRetryDelay = Duration(child, key, options.InitialRetryDelay, options.BindingProblems);
                    break;
                case "MaxRetryDelay":
                    options.MaxRetryDelay = Duration(child, key, options.MaxRetryDelay, options.BindingProblems);
                    break;
                case "MaxRetryAfter":
                    options.MaxRetryAfter = Duration(child, key, options.MaxRetryAfter, options.BindingProblems);
                    break;
                default:
                    options.BindingProblems.Add(Unknown(key, child.Key, SectionKeys));
                    break;
            }
        }
    }

    private static NotificationReceiverOptions BindReceiver(IConfigurationSection section, List<string> problems)
    {
        var receiver = new NotificationReceiverOptions { Name = section.Key };
        string prefix = $"{Prefix}:Receivers:{section.Key}";
        foreach (IConfigurationSection child in section.GetChildren())
        {
            string key = $"{prefix}:{child.Key}";
            switch (Known(child.Key, ReceiverKeys))
            {
                case "Url":
                    receiver.Url = child.Value ?? "";
                    break;
                case "Format":
                    if (Enum.TryParse(child.Value, ignoreCase: true, out NotificationFormat format) && Enum.IsDefined(format) && !int.TryParse(child.Value, out _))
                    {
                        receiver.Format = format;
                    }
                    else
                    {
                        problems.Add($"{key} '{child.Value}' is not a format; use Alertmanager or Slack.");
                    }

                    break;
                case "Events":
                    // A JSON array binds as children 0, 1, ...; a single string ("IncidentOpened,IncidentResolved") is accepted too.
                    IEnumerable<string?> names = child.Value is { } single
                        ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        : child.GetChildren().Select(c => c.Value);
                    foreach (string? name in names)
                    {
                        if (TryParseEvent(name, out NotificationEventKind kind))
                        {
                            receiver.Events.Add(kind);
                        }
                        else
                        {
                            problems.Add($"{key} contains '{name}', which is not an event; use {string.Join(", ", Enum.GetNames<NotificationEventKind>())}.");
                        }
                    }

                    break;
                case "Timeout":
                    receiver.Timeout = Duration(child, key, receiver.Timeout, problems);
                    break;
                case "Headers":
                    foreach (IConfigurationSection header in child.GetChildren())
                    {
                        receiver.Headers[header.Key] = header.Value ?? "";
                    }

                    break;
                default:
                    problems.Add(Unknown(key, child.Key, ReceiverKeys));
                    break;
            }
        }

        return receiver;
    }

    /// <summary>Accepts the enum name (IncidentOpened) and its snake_case form (incident_opened), in any case.</summary>
    internal static bool TryParseEvent(string? name, out NotificationEventKind kind)
    {
        kind = default;
        string compact = (name ?? "").Replace("_", "", StringComparison.Ordinal);
        return compact.Length > 0 && !int.TryParse(compact, out _) && Enum.TryParse(compact, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    private static string? Known(string key, string[] allowed) => allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));

    private static string Unknown(string fullKey, string key, string[] allowed) =>
        $"{fullKey} is not a setting.{Suggestions.DidYouMean(key, allowed.Select(a => a.ToLowerInvariant()))} Settings here: {string.Join(", ", allowed)}.";

    private static int Int(IConfigurationSection section, string key, int fallback, List<string> problems)
    {
        if (int.TryParse(section.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        problems.Add($"{key} '{section.Value}' is not a whole number.");
        return fallback;
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback, List<string> problems)
    {
        string text = section.Value ?? "";
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan value) && text.Contains(':'))
        {
            return value;
        }

        if (DurationText.TryParse(text, out value, out string error))
        {
            return value;
        }

        problems.Add($"{key} {error} (00:00:10 also works)");
        return fallback;
    }
}
