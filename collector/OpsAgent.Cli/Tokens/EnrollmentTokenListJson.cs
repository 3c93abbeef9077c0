namespace OpsAgent.Cli.Tokens;

internal sealed record EnrollmentTokenListJson(IReadOnlyList<EnrollmentTokenJson> Tokens);
