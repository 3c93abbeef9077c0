namespace OpsAgent.Agent.Commands;

/// <summary>
/// The collector's command signing key as this agent pinned it at enrolment (ECDSA P-256, signatures over SHA-256 in
/// IEEE P1363 form). The identity feature loads it from the state directory and checks that it is a P-256 key.
/// </summary>
internal interface ICommandKey
{
    /// <summary>The id the collector puts in <c>SignedCommand.key_id</c> when it signs with this key.</summary>
    string KeyId { get; }

    /// <summary>True when <paramref name="signature"/> is this key's signature over exactly <paramref name="data"/>.</summary>
    bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
}
