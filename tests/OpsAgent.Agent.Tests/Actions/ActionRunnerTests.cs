using Microsoft.Extensions.Options;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Cleanup;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions;

public sealed class ActionRunnerTests
{
    private static ActionRunner Runner(LocalPolicy policy) =>
        new(Options.Create(policy), [new CleanupActionHandler()], TimeProvider.System);

    private static LocalPolicy Loaded() => new() { Path = ActionTestContext.PolicyFile, Policy = ActionTestContext.Validated(new ActionPolicy()) };

    [Fact]
    public async Task RunAsync_NoPolicyFile_RejectedNoPolicyNamingFile()
    {
        var missing = new LocalPolicy { Path = "/etc/opsagent/policy.json" };

        ActionOutcome outcome = await Runner(missing).RunAsync(
            ActionTestContext.Command(c => c.Cleanup = new CleanupFiles { Directory = "/var/log" }), ActionTestContext.Timeout());

        Assert.Equal(CommandStatus.Rejected, outcome.Status);
        Assert.Equal(RejectionCodes.NoPolicy, outcome.RejectionCode);
        Assert.Contains("no local policy file (/etc/opsagent/policy.json)", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Deploy_RejectedAsNotPartOfThisVersion()
    {
        ActionOutcome outcome = await Runner(Loaded()).RunAsync(
            ActionTestContext.Command(c => c.Deploy = new DeployArtifact { Artifact = "checkout-api", Version = "1.2.3" }), ActionTestContext.Timeout());

        Assert.Equal(RejectionCodes.Unsupported, outcome.RejectionCode);
        Assert.Contains("Deploying artifacts is part of rollouts", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Rollback_RejectedAsNotPartOfThisVersion()
    {
        ActionOutcome outcome = await Runner(Loaded()).RunAsync(
            ActionTestContext.Command(c => c.Rollback = new RollbackArtifact { Artifact = "checkout-api" }), ActionTestContext.Timeout());

        Assert.Equal(RejectionCodes.Unsupported, outcome.RejectionCode);
    }

    [Fact]
    public async Task RunAsync_NoAction_Invalid()
    {
        ActionOutcome outcome = await Runner(Loaded()).RunAsync(ActionTestContext.Command(_ => { }), ActionTestContext.Timeout());

        Assert.Equal(RejectionCodes.InvalidRequest, outcome.RejectionCode);
    }
}
