using OpsAgent.Cli.Connection;

namespace OpsAgent.Cli.Invocation;

/// <summary>What the error reporter needs to know about the command that failed.</summary>
/// <param name="Connection">Null when the failure came before the collector URL was known.</param>
/// <param name="CommandPath">The command as typed, e.g. "opsctl metrics query", for "Run ... --help" hints.</param>
/// <param name="TimedOut">True when --timeout ran out.</param>
/// <param name="Interrupted">True when the user pressed Ctrl-C (or the process got SIGTERM).</param>
internal sealed record ErrorScope(ConnectionSettings? Connection, string CommandPath, bool TimedOut, bool Interrupted, bool Verbose);
