using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Playbooks.Format;

public sealed class ParameterTemplateTests
{
    private static readonly PlaybookTrigger Trigger = new(
        TriggerKind.AnomalyRaised, "inc-7", "agent-1", "web-1",
        new Dictionary<string, string> { ["mountpoint"] = "/var", ["service.name"] = "checkout", ["pid"] = "4242", ["evil"] = "../../etc", ["bad"] = "a\nb" },
        "system.filesystem.utilization", null, TriggerSeverity.Warning, DateTimeOffset.UnixEpoch, "disk");

    private static readonly TemplateContext Context = new("disk-full", Trigger);

    [Theory]
    [InlineData("{{ labels.mountpoint }}/log", "/var/log")]
    [InlineData("{{labels.service.name}}-api", "checkout-api")]
    [InlineData("{{ host }} {{ agent_id }} {{ incident_id }} {{ metric }} {{ severity }} {{ playbook }}", "web-1 agent-1 inc-7 system.filesystem.utilization warning disk-full")]
    [InlineData("plain } text }}", "plain } text }}")]
    public void TryRender_KnownVariables_AreReplaced(string text, string expected)
    {
        Assert.True(ParameterTemplate.TryParse(text, out ParameterTemplate template, out string error), error);
        Assert.True(template.TryRender(Context, out string value, out error), error);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryRender_MissingLabel_SaysWhichAndHowToFix()
    {
        Assert.True(ParameterTemplate.TryParse("{{ labels.unit }}", out ParameterTemplate template, out _));

        Assert.False(template.TryRender(Context, out _, out string error));
        Assert.Contains("no label 'unit'", error, StringComparison.Ordinal);
        Assert.Contains("match.labels", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ labels. }}")]
    [InlineData("{{ labels.a b }}")]
    [InlineData("{{ env.HOME }}")]
    [InlineData("{{ host | upper }}")]
    [InlineData("{{ `rm -rf /` }}")]
    [InlineData("{{ host ")]
    public void TryParse_AnythingButAVariable_IsRefused(string text)
    {
        Assert.False(ParameterTemplate.TryParse(text, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void TryRender_LabelSmugglingDotDotIntoAPath_IsCaughtByTheRuleAfterRendering()
    {
        var action = new CleanupStepAction(Parse("/var/log/{{ labels.evil }}"), Parse("*.gz"), TimeSpan.FromDays(1), 0, 0);

        Assert.False(action.TryRender(Context, new Command(), out _, out string error));
        Assert.Contains("became '/var/log/../../etc'", error, StringComparison.Ordinal);
        Assert.Contains("contains '..'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRender_LabelWithANewline_IsRefused()
    {
        var action = new ScriptStepAction(Parse("fix.sh"), [Parse("{{ labels.bad }}")]);

        Assert.False(action.TryRender(Context, new Command(), out _, out string error));
        Assert.Contains("control characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRender_EveryAction_ProducesTheProtoCommand()
    {
        var command = new Command();
        Assert.True(new SignalStepAction(null, Parse("{{ labels.pid }}"), "TERM").TryRender(Context, command, out string description, out _));
        Assert.Equal((4242, "TERM"), (command.Signal.Pid, command.Signal.Signal));
        Assert.Equal("signal_process TERM to pid 4242", description);

        Assert.True(new CleanupStepAction(Parse("{{ labels.mountpoint }}/tmp"), Parse("*"), TimeSpan.FromHours(2), 1024, 9).TryRender(Context, command, out _, out _));
        Assert.Equal(Command.ActionOneofCase.Cleanup, command.ActionCase);
        Assert.Equal(("/var/tmp", "*", 7200L, 1024L, 9u), (command.Cleanup.Directory, command.Cleanup.Pattern, command.Cleanup.OlderThanSeconds, command.Cleanup.LargerThanBytes, command.Cleanup.MaxFiles));

        Assert.True(new ScriptStepAction(Parse("fix.sh"), [Parse("--host"), Parse("{{ host }}")]).TryRender(Context, command, out _, out _));
        Assert.Equal(["--host", "web-1"], command.Script.Args);

        Assert.True(new DiagnosticsStepAction(5, null, 0).TryRender(Context, command, out _, out _));
        Assert.Equal((5u, ""), (command.Diagnostics.TopProcesses, command.Diagnostics.Directory));

        Assert.True(new ServiceStepAction(ServiceAction.Types.Operation.Stop, Parse("{{ labels.service.name }}")).TryRender(Context, command, out description, out _));
        Assert.Equal((ServiceAction.Types.Operation.Stop, "checkout"), (command.Service.Operation, command.Service.Service));
        Assert.Equal("stop_service checkout", description);
    }

    private static ParameterTemplate Parse(string text)
    {
        Assert.True(ParameterTemplate.TryParse(text, out ParameterTemplate template, out string error), error);
        return template;
    }
}
