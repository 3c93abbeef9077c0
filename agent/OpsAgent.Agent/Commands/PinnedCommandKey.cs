namespace OpsAgent.Agent.Commands;

/// <summary>The collector's command signing key as this agent pinned it at enrolment.</summary>
/// <param name="KeyId">The id the collector puts in <c>SignedCommand.key_id</c>.</param>
/// <param name="SubjectPublicKeyInfo">The ECDSA P-256 public key, DER-encoded SubjectPublicKeyInfo (EnrollResponse.command_public_key).</param>
internal sealed record PinnedCommandKey(string KeyId, byte[] SubjectPublicKeyInfo);
