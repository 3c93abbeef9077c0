using OpsAgent.Protocol;

namespace OpsAgent.Collector.Pki;

/// <summary>
/// Signs commands for agents with the collector's command signing key (ECDSA P-256, SHA-256, IEEE P1363 signature
/// over the serialized <see cref="Command"/>). Agents pinned the matching public key at enrolment and run nothing
/// whose signature does not verify. Self-healing, ad-hoc commands and rollouts all go through this one service.
/// </summary>
internal interface ICommandSigner
{
    /// <summary>Identifies the key: "ck-" and the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo.</summary>
    string KeyId { get; }

    /// <summary>The public key as DER SubjectPublicKeyInfo, as sent to agents in EnrollResponse.command_public_key.</summary>
    ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>
    /// Serializes and signs <paramref name="command"/>. Refuses (ArgumentException) a command without an id, a
    /// target agent, an issue and expiry time (expiry after issue) or a 16-byte nonce: an agent would reject it anyway,
    /// and a signature on it would be a signature on something replayable.
    /// </summary>
    SignedCommand Sign(Command command);
}
