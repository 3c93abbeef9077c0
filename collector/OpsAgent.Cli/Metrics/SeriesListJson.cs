namespace OpsAgent.Cli.Metrics;

/// <summary>The JSON document of `opsctl metrics list`; truncated is true when the collector cut the list short.</summary>
internal sealed record SeriesListJson(IReadOnlyList<SeriesJson> Series, bool Truncated);
