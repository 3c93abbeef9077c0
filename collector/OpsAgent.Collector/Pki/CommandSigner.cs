using System.Security.Cryptography;
using Google.Protobuf;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Pki;

/// <summary>The command signing key, loaded by <see cref="CollectorPki"/> from DATA_DIR/pki/command-signing.key.</summary>
internal sealed class CommandSigner : ICommandSigner, IDisposable
{
    public const int NonceLength = 16;

    private readonly ECDsa _key;
    private readonly byte[] _publicKey;

    private CommandSigner(ECDsa key)
    {
        _key = key;
        _publicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = KeyIdOf(_publicKey);
    }

    public string KeyId { get; }

    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public static CommandSigner Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads the key from PKCS#8 PEM; throws <see cref="CryptographicException"/> or <see cref="ArgumentException"/> on damage.</summary>
    public static CommandSigner Load(string keyPem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(keyPem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException($"the key is ECDSA with {key.KeySize} bits; the command signing key is P-256");
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return new CommandSigner(key);
    }

    /// <summary>The key id agents compute from the public key they pinned: the same rule on both sides.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        "ck-" + Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    public string ExportKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public SignedCommand Sign(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrEmpty(command.CommandId) || string.IsNullOrEmpty(command.AgentId))
        {
            throw new ArgumentException("A command needs a command_id and the agent_id of the one agent that may run it.", nameof(command));
        }

        if (command.IssuedUnixMs <= 0 || command.ExpiresUnixMs <= command.IssuedUnixMs)
        {
            throw new ArgumentException(
                $"A command needs issued_unix_ms and a later expires_unix_ms; got {command.IssuedUnixMs} and {command.ExpiresUnixMs}.", nameof(command));
        }

        if (command.Nonce.Length != NonceLength)
        {
            throw new ArgumentException($"A command needs a {NonceLength}-byte random nonce; got {command.Nonce.Length} bytes.", nameof(command));
        }

        byte[] payload = command.ToByteArray();
        byte[] signature = _key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SignedCommand
        {
            Command = ByteString.CopyFrom(payload),
            Signature = ByteString.CopyFrom(signature),
            KeyId = KeyId,
        };
    }

    public void Dispose() => _key.Dispose();
}
