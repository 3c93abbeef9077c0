using System.Security.Cryptography;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// The collector's command signing public key, as this agent pinned it at enrolment. Every command the collector sends
/// is a <see cref="SignedCommand"/>: an ECDSA P-256 / SHA-256 signature in IEEE P1363 form over the serialized
/// <see cref="Command"/> bytes. <see cref="Verify(SignedCommand)"/> checks it before anything else of the command is
/// read; a command that does not verify must not be parsed, let alone run.
/// </summary>
/// <remarks>
/// File: STATE/identity/command-key.pem, a PEM "PUBLIC KEY" block (DER SubjectPublicKeyInfo), mode 0600, written at
/// enrolment from EnrollResponse.command_public_key. The key id is derived from the key, by the same rule on both
/// sides: "ck-" and the first 16 hex digits of SHA-256(SubjectPublicKeyInfo); it is what SignedCommand.key_id carries.
/// An agent started against a collector in insecure mode does not enrol; an admin may pin the key by hand by copying
/// the collector's DATA_DIR/pki/command-signing.pub to that path. Use <see cref="PinnedCommandKeyProvider"/> to get
/// the current key in a running agent.
/// </remarks>
internal sealed class PinnedCommandKey : ICommandKey, IDisposable
{
    public const string FileName = "command-key.pem";

    private readonly ECDsa _key;
    private readonly byte[] _subjectPublicKeyInfo;

    private PinnedCommandKey(ECDsa key, byte[] subjectPublicKeyInfo)
    {
        _key = key;
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
        KeyId = KeyIdOf(subjectPublicKeyInfo);
    }

    /// <summary>"ck-" and 16 hex digits; compare with SignedCommand.key_id.</summary>
    public string KeyId { get; }

    /// <summary>The public key, DER SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _subjectPublicKeyInfo;

    public static string KeyIdOf(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        "ck-" + Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>A key from DER SubjectPublicKeyInfo; throws <see cref="InvalidDataException"/> unless it is an ECDSA P-256 public key.</summary>
    public static PinnedCommandKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out int read);
            if (read != subjectPublicKeyInfo.Length || key.KeySize != 256)
            {
                throw new InvalidDataException($"the command key must be one ECDSA P-256 public key; got {key.KeySize} bits and {subjectPublicKeyInfo.Length - read} extra bytes");
            }
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new InvalidDataException("the command key is not an ECDSA public key: " + ex.Message, ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return new PinnedCommandKey(key, subjectPublicKeyInfo.ToArray());
    }

    /// <summary>
    /// Loads the key pinned in <paramref name="identityDirectory"/>; null when there is none (not enrolled yet).
    /// Throws <see cref="InvalidDataException"/> naming the file when it is unreadable or not a P-256 public key.
    /// </summary>
    public static PinnedCommandKey? TryLoad(string identityDirectory)
    {
        string path = Path.Combine(identityDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            string pem = File.ReadAllText(path);
            PemFields fields = PemEncoding.Find(pem);
            if (pem[fields.Label] is not "PUBLIC KEY")
            {
                throw new InvalidDataException($"expected a PEM PUBLIC KEY block, found {pem[fields.Label]}");
            }

            return FromSubjectPublicKeyInfo(Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InvalidDataException(
                $"The pinned command key {path} is unusable ({ex.Message}); until it is restored no command from the collector can be verified. " +
                "Enrol the agent again to pin it anew (revoke it, delete the identity directory, give it a new token).", ex);
        }
    }

    /// <summary>True when <paramref name="signature"/> (IEEE P1363, 64 bytes) is this key's signature over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>True when the envelope names this key and its signature over its command bytes verifies.</summary>
    public bool Verify(SignedCommand signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        return string.Equals(signed.KeyId, KeyId, StringComparison.Ordinal) && Verify(signed.Command.Span, signed.Signature.Span);
    }

    public void Dispose() => _key.Dispose();
}
