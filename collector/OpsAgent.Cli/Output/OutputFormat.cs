namespace OpsAgent.Cli.Output;

/// <summary>How a command prints its result: a table for people, JSON for scripts and CI pipelines.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}
