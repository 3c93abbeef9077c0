using OpsAgent.Collector.Notifications;

namespace OpsAgent.Collector.Tests.Notifications;

internal static class NotificationTestData
{
    public static readonly DateTimeOffset Opened = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    public static NotificationEvent Incident(NotificationEventKind kind = NotificationEventKind.IncidentOpened, string incident = "inc-42") => new(
        kind,
        incident,
        "agent-7",
        "web-1",
        "warning",
        "/var 97% full on web-1",
        "Free space fell from 20% to 3% in 2 h.",
        Opened,
        kind == NotificationEventKind.IncidentResolved ? Opened + TimeSpan.FromMinutes(30) : null,
        new Dictionary<string, string> { ["mountpoint"] = "/var", ["service.name"] = "checkout", ["host"] = "spoofed", ["empty"] = "" },
        Metric: "system.filesystem.utilization");

    public static NotificationEvent Approval() => new(
        NotificationEventKind.ApprovalRequested,
        "inc-42",
        "agent-7",
        "web-1",
        "warning",
        "/var 97% full on web-1",
        "Playbook disk-full wants to run step 1.",
        Opened,
        Opened + TimeSpan.FromHours(1),
        new Dictionary<string, string> { ["mountpoint"] = "/var" },
        Metric: "system.filesystem.utilization",
        Playbook: "disk-full",
        CommandId: "r0123456789abcdef-1",
        Action: "cleanup_files /var/log/*.gz older than 7d");
}
