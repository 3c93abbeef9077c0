using System.Security.Cryptography;
using Google.Protobuf;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Commands;

/// <summary>
/// Plays the collector's part: a real ECDSA P-256 key that signs commands as the collector does (IEEE P1363 over
/// the serialized Command), and the pinned form of its public key that an enrolled agent holds.
/// </summary>
internal sealed class CommandSigner : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public CommandSigner(string keyId = "k1")
    {
        KeyId = keyId;
        Pinned = new EcdsaCommandKey(keyId, _key.ExportSubjectPublicKeyInfo());
    }

    public string KeyId { get; }

    /// <summary>This key as an enrolled agent has pinned it.</summary>
    public EcdsaCommandKey Pinned { get; }

    public SignedCommand Sign(Command command, string? keyId = null)
    {
        byte[] bytes = command.ToByteArray();
        return new SignedCommand
        {
            Command = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(_key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            KeyId = keyId ?? KeyId,
        };
    }

    /// <summary>A valid command for <paramref name="agentId"/>, issued now and valid for five minutes.</summary>
    public static Command NewCommand(string agentId, DateTimeOffset now, string? commandId = null) => new()
    {
        CommandId = commandId ?? "cmd-" + Guid.NewGuid().ToString("N")[..12],
        AgentId = agentId,
        IssuedUnixMs = now.ToUnixTimeMilliseconds(),
        ExpiresUnixMs = now.AddMinutes(5).ToUnixTimeMilliseconds(),
        Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16)),
        IssuedBy = "user:test",
        Reason = "test",
    };

    public void Dispose()
    {
        Pinned.Dispose();
        _key.Dispose();
    }
}
