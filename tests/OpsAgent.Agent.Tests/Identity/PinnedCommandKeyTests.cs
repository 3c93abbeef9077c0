using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Identity;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Identity;

public sealed class PinnedCommandKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ECDsa _collectorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _dir.Dispose();
        _collectorKey.Dispose();
    }

    private string IdentityDirectory => Path.Combine(_dir.Path, AgentCredentials.DirectoryName);

    private void Pin(ECDsa key)
    {
        Directory.CreateDirectory(IdentityDirectory);
        File.WriteAllText(Path.Combine(IdentityDirectory, PinnedCommandKey.FileName), key.ExportSubjectPublicKeyInfoPem());
    }

    private SignedCommand Sign(Command command, ECDsa key)
    {
        byte[] payload = command.ToByteArray();
        return new SignedCommand
        {
            Command = ByteString.CopyFrom(payload),
            Signature = ByteString.CopyFrom(key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            KeyId = PinnedCommandKey.KeyIdOf(key.ExportSubjectPublicKeyInfo()),
        };
    }

    [Fact]
    public void Verify_CommandSignedByThePinnedKey_True()
    {
        Pin(_collectorKey);
        using PinnedCommandKey key = PinnedCommandKey.TryLoad(IdentityDirectory)!;

        Assert.True(key.Verify(Sign(new Command { CommandId = "c1", AgentId = "web-01" }, _collectorKey)));
        Assert.Equal("ck-" + Convert.ToHexStringLower(SHA256.HashData(_collectorKey.ExportSubjectPublicKeyInfo()))[..16], key.KeyId);
    }

    [Fact]
    public void Verify_ForgedTamperedOrOtherKeyId_False()
    {
        Pin(_collectorKey);
        using PinnedCommandKey key = PinnedCommandKey.TryLoad(IdentityDirectory)!;
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SignedCommand genuine = Sign(new Command { CommandId = "c1", AgentId = "web-01" }, _collectorKey);

        SignedCommand forged = Sign(new Command { CommandId = "c1", AgentId = "web-01" }, attacker);
        forged.KeyId = key.KeyId;
        SignedCommand tampered = genuine.Clone();
        tampered.Command = ByteString.CopyFrom(new Command { CommandId = "c1", AgentId = "db-01" }.ToByteArray());
        SignedCommand otherKeyId = genuine.Clone();
        otherKeyId.KeyId = "ck-0000000000000000";

        Assert.False(key.Verify(forged));
        Assert.False(key.Verify(tampered));
        Assert.False(key.Verify(otherKeyId));
    }

    [Fact]
    public void TryLoad_NothingPinned_Null()
    {
        Assert.Null(PinnedCommandKey.TryLoad(IdentityDirectory));
    }

    [Theory]
    [InlineData("not pem at all")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void TryLoad_DamagedFile_InvalidDataNamingTheFile(string content)
    {
        Directory.CreateDirectory(IdentityDirectory);
        File.WriteAllText(Path.Combine(IdentityDirectory, PinnedCommandKey.FileName), content);

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => PinnedCommandKey.TryLoad(IdentityDirectory));

        Assert.StartsWith($"The pinned command key {Path.Combine(IdentityDirectory, PinnedCommandKey.FileName)} is unusable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSubjectPublicKeyInfo_RsaOrP384Key_Refused()
    {
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<InvalidDataException>(() => PinnedCommandKey.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()));
        Assert.Throws<InvalidDataException>(() => PinnedCommandKey.FromSubjectPublicKeyInfo(p384.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public void Provider_KeyPinnedAfterStart_PickedUpOnNextUse()
    {
        var provider = new PinnedCommandKeyProvider(Options.Create(new AgentOptions { StateDirectory = _dir.Path }));
        Assert.Null(provider.Current);

        Pin(_collectorKey);

        Assert.Equal(PinnedCommandKey.KeyIdOf(_collectorKey.ExportSubjectPublicKeyInfo()), provider.Current?.KeyId);
    }
}
