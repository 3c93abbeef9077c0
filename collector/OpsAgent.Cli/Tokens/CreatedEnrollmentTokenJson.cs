namespace OpsAgent.Cli.Tokens;

/// <summary>`opsctl tokens create -o json`: the token (shown once) and what it is.</summary>
internal sealed record CreatedEnrollmentTokenJson(string Token, string CaFingerprint, EnrollmentTokenJson Details);
