using OpsAgent.Protocol;

namespace OpsAgent.Agent.Commands;

/// <summary>Where the uplink hands the commands that arrive from the collector.</summary>
internal interface ICommandInbox
{
    /// <summary>True when a local policy file is loaded: then the agent advertises the "actions" capability in Hello.</summary>
    bool ActionsEnabled { get; }

    /// <summary>
    /// Takes a command as received. Never blocks and never throws for a bad command: every command gets a result
    /// (run, rejected and why) through the outbox, except a copy of one that is queued or running right now.
    /// </summary>
    void Submit(SignedCommand command);
}
