namespace OpsAgent.Cli.ApiTokens;

/// <summary>`opsctl whoami -o json`.</summary>
internal sealed record WhoAmIJson(string TokenId, string Name, string Role, bool Insecure);
