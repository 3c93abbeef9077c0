namespace OpsAgent.Agent.Commands;

/// <summary>A command that was not run: a code from <see cref="RejectionCodes"/> and the reason for the admin.</summary>
internal sealed record CommandRejection(string Code, string Reason);
