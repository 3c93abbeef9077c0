using System.Text.Json;
using OpsAgent.Collector.Notifications;
using static OpsAgent.Collector.Tests.Notifications.NotificationTestData;

namespace OpsAgent.Collector.Tests.Notifications;

public sealed class AlertmanagerPayloadTests
{
    [Fact]
    public void Build_IncidentOpened_IsAlertmanagerWebhookVersion4()
    {
        using JsonDocument json = Parse(AlertmanagerPayload.Build(Incident(), "pager", "https://collector.example.com"));
        JsonElement root = json.RootElement;

        Assert.Equal(
            ["version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("4", root.GetProperty("version").GetString());
        Assert.Equal("{}:{incident=\"inc-42\"}", root.GetProperty("groupKey").GetString());
        Assert.Equal(0, root.GetProperty("truncatedAlerts").GetInt32());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal("pager", root.GetProperty("receiver").GetString());
        Assert.Equal(new Dictionary<string, string> { ["incident"] = "inc-42" }, Map(root.GetProperty("groupLabels")));
        Assert.Equal("https://collector.example.com", root.GetProperty("externalURL").GetString());

        JsonElement alert = Assert.Single(root.GetProperty("alerts").EnumerateArray().ToList());
        Assert.Equal(["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"], alert.EnumerateObject().Select(p => p.Name));
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        var expectedLabels = new Dictionary<string, string>
        {
            ["agent_id"] = "agent-7",
            ["alertname"] = "OpsAgentIncident",
            ["host"] = "web-1",
            ["incident"] = "inc-42",
            ["metric"] = "system.filesystem.utilization",
            ["mountpoint"] = "/var",
            ["service_name"] = "checkout",
            ["severity"] = "warning",
        };
        Assert.Equal(expectedLabels, Map(alert.GetProperty("labels")));
        Assert.Equal(expectedLabels, Map(root.GetProperty("commonLabels")));
        var expectedAnnotations = new Dictionary<string, string>
        {
            ["description"] = "Free space fell from 20% to 3% in 2 h.",
            ["event"] = "incident_opened",
            ["summary"] = "/var 97% full on web-1",
        };
        Assert.Equal(expectedAnnotations, Map(alert.GetProperty("annotations")));
        Assert.Equal(expectedAnnotations, Map(root.GetProperty("commonAnnotations")));
        Assert.Equal("2026-03-01T12:00:00.123Z", alert.GetProperty("startsAt").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", alert.GetProperty("endsAt").GetString());
        Assert.Equal("https://collector.example.com", alert.GetProperty("generatorURL").GetString());
        Assert.Equal(AlertmanagerPayload.Fingerprint(expectedLabels), alert.GetProperty("fingerprint").GetString());
        Assert.Matches("^[0-9a-f]{16}$", alert.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void Build_IncidentResolved_IsResolvedWithEndsAtAndTheSameFingerprint()
    {
        using JsonDocument opened = Parse(AlertmanagerPayload.Build(Incident(), "pager", ""));
        using JsonDocument escalated = Parse(AlertmanagerPayload.Build(Incident(NotificationEventKind.IncidentEscalated) with { Description = "playbook failed" }, "pager", ""));
        using JsonDocument resolved = Parse(AlertmanagerPayload.Build(Incident(NotificationEventKind.IncidentResolved), "pager", ""));

        JsonElement alert = resolved.RootElement.GetProperty("alerts")[0];
        Assert.Equal("resolved", resolved.RootElement.GetProperty("status").GetString());
        Assert.Equal("resolved", alert.GetProperty("status").GetString());
        Assert.Equal("2026-03-01T12:30:00.123Z", alert.GetProperty("endsAt").GetString());
        Assert.Equal("incident_resolved", alert.GetProperty("annotations").GetProperty("event").GetString());
        Assert.Equal("firing", escalated.RootElement.GetProperty("status").GetString());
        Assert.Equal("incident_escalated", escalated.RootElement.GetProperty("alerts")[0].GetProperty("annotations").GetProperty("event").GetString());
        string fingerprint = opened.RootElement.GetProperty("alerts")[0].GetProperty("fingerprint").GetString()!;
        Assert.Equal(fingerprint, escalated.RootElement.GetProperty("alerts")[0].GetProperty("fingerprint").GetString());
        Assert.Equal(fingerprint, alert.GetProperty("fingerprint").GetString());
        Assert.Equal("", resolved.RootElement.GetProperty("externalURL").GetString());
    }

    [Fact]
    public void Build_ApprovalRequested_CarriesTheCommandAndHowToApprove()
    {
        using JsonDocument json = Parse(AlertmanagerPayload.Build(Approval(), "chat", ""));
        JsonElement root = json.RootElement;
        JsonElement alert = root.GetProperty("alerts")[0];

        Assert.Equal("{}:{command_id=\"r0123456789abcdef-1\"}", root.GetProperty("groupKey").GetString());
        Assert.Equal(new Dictionary<string, string> { ["command_id"] = "r0123456789abcdef-1" }, Map(root.GetProperty("groupLabels")));
        Dictionary<string, string> labels = Map(alert.GetProperty("labels"));
        Assert.Equal("OpsAgentApprovalRequired", labels["alertname"]);
        Assert.Equal("disk-full", labels["playbook"]);
        Assert.Equal("r0123456789abcdef-1", labels["command_id"]);
        Dictionary<string, string> annotations = Map(alert.GetProperty("annotations"));
        Assert.Equal("opsctl commands approve r0123456789abcdef-1", annotations["approve"]);
        Assert.Equal("cleanup_files /var/log/*.gz older than 7d", annotations["action"]);
        Assert.Equal("approval_requested", annotations["event"]);
        Assert.Equal("firing", alert.GetProperty("status").GetString());
        Assert.Equal("2026-03-01T13:00:00.123Z", alert.GetProperty("endsAt").GetString()); // Alertmanager resolves it when the request lapses
    }

    [Fact]
    public void Fingerprint_KnownVectors_MatchAlertmanagersFnv1a()
    {
        // The empty set is FNV-1a's offset basis; {a="b"} hashes the bytes a 0xFF b 0xFF (computed independently).
        Assert.Equal("cbf29ce484222325", AlertmanagerPayload.Fingerprint([]));
        Assert.Equal("d2b371819297f98a", AlertmanagerPayload.Fingerprint([new("a", "b")]));
        Assert.Equal(
            AlertmanagerPayload.Fingerprint([new("x", "1"), new("y", "2")]),
            AlertmanagerPayload.Fingerprint([new("y", "2"), new("x", "1")]));
        Assert.NotEqual(AlertmanagerPayload.Fingerprint([new("ab", "")]), AlertmanagerPayload.Fingerprint([new("a", "b")]));
    }

    [Theory]
    [InlineData("service.name", "service_name")]
    [InlineData("k8s-pod", "k8s_pod")]
    [InlineData("9lives", "_9lives")]
    [InlineData("", "_")]
    public void LabelName_AnyKey_BecomesAPrometheusLabelName(string key, string expected)
    {
        Assert.Equal(expected, AlertmanagerPayload.LabelName(key));
    }

    internal static JsonDocument Parse(byte[] body) => JsonDocument.Parse(body);

    internal static Dictionary<string, string> Map(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
