namespace OpsAgent.Cli.ApiTokens;

/// <summary>`opsctl api-tokens create -o json`: the token (shown once) and what it is.</summary>
internal sealed record CreatedApiTokenJson(string Token, ApiTokenJson Details);
