using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions;

/// <summary>One command on its way through an action: the command, the policy in force, and the clock.</summary>
internal sealed class ActionContext(Command command, ActionPolicy policy, string policyFile, TimeProvider timeProvider)
{
    public Command Command { get; } = command;

    public ActionPolicy Policy { get; } = policy;

    /// <summary>The policy file, named in denials so that the admin knows where to allow something.</summary>
    public string PolicyFile { get; } = policyFile;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public bool DryRun => Command.DryRun;

    public int MaxOutputBytes => Policy.MaxOutputBytes;

    /// <summary>The policy's limit for this kind of action, or the command's own timeout when that is shorter.</summary>
    public TimeSpan Timeout(int policySeconds) =>
        TimeSpan.FromSeconds(Command.TimeoutSeconds is > 0 && Command.TimeoutSeconds < policySeconds ? Command.TimeoutSeconds : policySeconds);
}
