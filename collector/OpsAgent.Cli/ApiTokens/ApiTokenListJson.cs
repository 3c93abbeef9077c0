namespace OpsAgent.Cli.ApiTokens;

internal sealed record ApiTokenListJson(IReadOnlyList<ApiTokenJson> Tokens);
