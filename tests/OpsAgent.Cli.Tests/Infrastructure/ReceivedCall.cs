namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>One call the scripted collector received.</summary>
internal sealed record ReceivedCall(string Method, object Request, string? Authorization);
