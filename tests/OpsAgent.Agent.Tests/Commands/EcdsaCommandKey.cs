using System.Security.Cryptography;
using OpsAgent.Agent.Commands;

namespace OpsAgent.Agent.Tests.Commands;

/// <summary>
/// A pinned command key as the identity feature holds it: a real ECDSA P-256 public key imported from its
/// SubjectPublicKeyInfo, verifying IEEE P1363 signatures over SHA-256.
/// </summary>
internal sealed class EcdsaCommandKey : ICommandKey, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create();

    public EcdsaCommandKey(string keyId, byte[] subjectPublicKeyInfo)
    {
        KeyId = keyId;
        _key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
    }

    public string KeyId { get; }

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}
