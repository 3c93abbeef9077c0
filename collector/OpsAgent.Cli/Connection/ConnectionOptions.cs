namespace OpsAgent.Cli.Connection;

/// <summary>What the command line said about the connection (each null when not given).</summary>
internal sealed record ConnectionOptions(string? Collector, string? Token = null, string? CaFile = null, string? ConfigFile = null);
