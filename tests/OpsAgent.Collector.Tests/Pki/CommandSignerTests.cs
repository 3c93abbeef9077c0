using System.Security.Cryptography;
using Google.Protobuf;
using OpsAgent.Collector.Pki;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Pki;

public sealed class CommandSignerTests : IDisposable
{
    private readonly CommandSigner _signer = CommandSigner.Create();

    public void Dispose() => _signer.Dispose();

    private static Command ValidCommand() => new()
    {
        CommandId = "cmd-1",
        AgentId = "web-01",
        IssuedUnixMs = 1_700_000_000_000,
        ExpiresUnixMs = 1_700_000_300_000,
        Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(16)),
        IssuedBy = "user:alice",
        Service = new ServiceAction { Operation = ServiceAction.Types.Operation.Restart, Service = "nginx" },
    };

    [Fact]
    public void Sign_ValidCommand_P1363SignatureOverTheExactBytesVerifiesWithThePublishedKey()
    {
        Command command = ValidCommand();

        SignedCommand signed = _signer.Sign(command);

        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(_signer.PublicKey.Span, out _);
        Assert.Equal(64, signed.Signature.Length);
        Assert.True(verifier.VerifyData(signed.Command.Span, signed.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(command, Command.Parser.ParseFrom(signed.Command));
        Assert.Equal(_signer.KeyId, signed.KeyId);
    }

    [Fact]
    public void Sign_PayloadTamperedAfterSigning_NoLongerVerifies()
    {
        SignedCommand signed = _signer.Sign(ValidCommand());
        Command changed = Command.Parser.ParseFrom(signed.Command);
        changed.AgentId = "db-01";

        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(_signer.PublicKey.Span, out _);
        Assert.False(verifier.VerifyData(changed.ToByteArray(), signed.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Theory]
    [InlineData("no-id")]
    [InlineData("no-agent")]
    [InlineData("no-expiry")]
    [InlineData("expires-before-issue")]
    [InlineData("short-nonce")]
    public void Sign_IncompleteCommand_Refused(string defect)
    {
        Command command = ValidCommand();
        switch (defect)
        {
            case "no-id": command.CommandId = ""; break;
            case "no-agent": command.AgentId = ""; break;
            case "no-expiry": command.ExpiresUnixMs = 0; break;
            case "expires-before-issue": command.ExpiresUnixMs = command.IssuedUnixMs - 1; break;
            default: command.Nonce = ByteString.CopyFrom(new byte[8]); break;
        }

        Assert.Throws<ArgumentException>(() => _signer.Sign(command));
    }

    [Fact]
    public void Load_ExportedKey_SameKeyIdAndVerifiableSignatures()
    {
        using CommandSigner loaded = CommandSigner.Load(_signer.ExportKeyPem());

        SignedCommand signed = loaded.Sign(ValidCommand());

        Assert.Equal(_signer.KeyId, loaded.KeyId);
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(_signer.PublicKey.Span, out _);
        Assert.True(verifier.VerifyData(signed.Command.Span, signed.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void KeyIdOf_IsCkAndSixteenHexDigitsOfTheKeysSha256()
    {
        string expected = "ck-" + Convert.ToHexStringLower(SHA256.HashData(_signer.PublicKey.Span))[..16];

        Assert.Equal(expected, CommandSigner.KeyIdOf(_signer.PublicKey.Span));
    }
}
