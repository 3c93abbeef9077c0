using System.Text.Json;
using OpsAgent.Collector.Notifications;
using static OpsAgent.Collector.Tests.Notifications.NotificationTestData;

namespace OpsAgent.Collector.Tests.Notifications;

public sealed class SlackPayloadTests
{
    [Fact]
    public void Build_IncidentOpened_HasTextAndBlocks()
    {
        using JsonDocument json = JsonDocument.Parse(SlackPayload.Build(Incident(), "https://collector.example.com"));
        JsonElement root = json.RootElement;

        Assert.Equal(["text", "blocks"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(":rotating_light: [FIRING] Incident opened on web-1: /var 97% full on web-1", root.GetProperty("text").GetString());
        JsonElement[] blocks = [.. root.GetProperty("blocks").EnumerateArray()];
        Assert.Equal(["header", "section", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal(":rotating_light: Incident opened on web-1", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("mrkdwn", blocks[1].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("*/var 97% full on web-1*\nFree space fell from 20% to 3% in 2 h.", blocks[1].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal(
            ["*Severity*\nwarning", "*Incident*\ninc-42", "*Host*\nweb-1", "*Metric*\nsystem.filesystem.utilization"],
            blocks[2].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()));
        Assert.All(blocks[2].GetProperty("fields").EnumerateArray(), f => Assert.Equal("mrkdwn", f.GetProperty("type").GetString()));
        JsonElement context = Assert.Single(blocks[3].GetProperty("elements").EnumerateArray().ToList());
        Assert.Equal("Since 2026-03-01T12:00:00.123Z · <https://collector.example.com|collector>", context.GetProperty("text").GetString());
    }

    [Fact]
    public void Build_ResolvedAndEscalated_SayWhatHappened()
    {
        using JsonDocument resolved = JsonDocument.Parse(SlackPayload.Build(Incident(NotificationEventKind.IncidentResolved), ""));
        using JsonDocument escalated = JsonDocument.Parse(SlackPayload.Build(Incident(NotificationEventKind.IncidentEscalated), ""));

        Assert.StartsWith(":white_check_mark: [RESOLVED] Incident resolved on web-1", resolved.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("Since 2026-03-01T12:00:00.123Z, resolved 2026-03-01T12:30:00.123Z", resolved.RootElement.GetProperty("blocks")[3].GetProperty("elements")[0].GetProperty("text").GetString());
        Assert.StartsWith(":sos: [FIRING] Incident escalated on web-1: needs a person", escalated.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ApprovalRequested_SaysHowToApprove()
    {
        using JsonDocument json = JsonDocument.Parse(SlackPayload.Build(Approval(), ""));
        JsonElement blocks = json.RootElement.GetProperty("blocks");

        Assert.Contains("*Playbook*\ndisk-full", blocks[2].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()));
        Assert.Contains("*Action*\ncleanup_files /var/log/*.gz older than 7d", blocks[2].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()));
        Assert.Equal("Approve with `opsctl commands approve r0123456789abcdef-1` before 2026-03-01T13:00:00.123Z", blocks[3].GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Build_MarkupInValues_IsEscapedAndLongTextCut()
    {
        NotificationEvent evil = Incident() with { Summary = "<!channel> & <http://x|y>", Host = new string('h', 300) };

        using JsonDocument json = JsonDocument.Parse(SlackPayload.Build(evil, ""));
        JsonElement blocks = json.RootElement.GetProperty("blocks");

        Assert.StartsWith("*&lt;!channel&gt; &amp; &lt;http://x|y&gt;*", blocks[1].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        string header = blocks[0].GetProperty("text").GetProperty("text").GetString()!;
        Assert.Equal(150, header.Length);
        Assert.EndsWith("…", header, StringComparison.Ordinal);
    }
}
