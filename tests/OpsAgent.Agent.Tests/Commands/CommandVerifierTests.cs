using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Commands;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Identity;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Commands;

public sealed class CommandVerifierTests : IDisposable
{
    private const string AgentId = "web-01";
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CommandSigner _collector = new("k1");
    private readonly PinnedKeyProvider _keys;
    private readonly CommandVerifier _verifier;

    public CommandVerifierTests()
    {
        _keys = new PinnedKeyProvider(_collector.Pinned);
        _verifier = Create(_keys);
    }

    public void Dispose() => _collector.Dispose();

    private static CommandVerifier Create(ICommandKeyProvider keys) => new(
        keys,
        new AgentIdentity(Options.Create(new AgentOptions { AgentId = AgentId })),
        Options.Create(new CommandOptions { ClockSkew = TimeSpan.FromSeconds(60), MaxCommandLifetime = TimeSpan.FromDays(1) }));

    private static Command NewCommand() => CommandSigner.NewCommand(AgentId, Now, "cmd-1");

    private static void AssertRejected(CommandVerification verification, string code, string reasonPart)
    {
        Assert.Null(verification.Command);
        Assert.NotNull(verification.Rejection);
        Assert.Equal(code, verification.Rejection.Code);
        Assert.Contains(reasonPart, verification.Rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedWithPinnedKey_Accepted()
    {
        CommandVerification verification = _verifier.Verify(_collector.Sign(NewCommand()), Now);

        Assert.Null(verification.Rejection);
        Assert.Equal("cmd-1", verification.Command?.CommandId);
    }

    [Fact]
    public void Verify_NoPinnedKey_RejectedAndSaysToEnrol()
    {
        _keys.Key = null;

        CommandVerification verification = _verifier.Verify(_collector.Sign(NewCommand()), Now);

        AssertRejected(verification, RejectionCodes.NoPinnedKey, "no pinned command signing key");
        Assert.Contains("enrol", verification.Rejection!.Reason, StringComparison.Ordinal);
        Assert.Equal("cmd-1", verification.CommandId);
    }

    [Fact]
    public void Verify_PinnedKeyUnreadable_RejectedSayingWhyInsteadOfThrowing()
    {
        CommandVerifier verifier = Create(new UnreadableKeyProvider());

        CommandVerification verification = verifier.Verify(_collector.Sign(NewCommand()), Now);

        AssertRejected(verification, RejectionCodes.NoPinnedKey, "cannot read its pinned command signing key (disk gone)");
    }

    [Fact]
    public void Verify_EmptySignature_RejectedUnsigned()
    {
        SignedCommand signed = _collector.Sign(NewCommand());
        signed.Signature = ByteString.Empty;

        AssertRejected(_verifier.Verify(signed, Now), RejectionCodes.Unsigned, "not signed");
    }

    [Fact]
    public void Verify_SignedByAnotherKeyWithSameId_RejectedAsForged()
    {
        using var forger = new CommandSigner("k1");

        CommandVerification verification = _verifier.Verify(forger.Sign(NewCommand()), Now);

        AssertRejected(verification, RejectionCodes.BadSignature, "does not verify with pinned key k1");
        Assert.Contains("forged", verification.Rejection!.Reason, StringComparison.Ordinal);
        Assert.Equal("cmd-1", verification.CommandId);
    }

    [Fact]
    public void Verify_CommandBytesAlteredAfterSigning_RejectedBadSignature()
    {
        Command command = NewCommand();
        SignedCommand signed = _collector.Sign(command);
        command.AgentId = "web-01";
        command.DryRun = true;
        signed.Command = command.ToByteString();

        AssertRejected(_verifier.Verify(signed, Now), RejectionCodes.BadSignature, "does not verify");
    }

    [Fact]
    public void Verify_SignatureInDerFormat_RejectedBadSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var pinned = new EcdsaCommandKey("k1", key.ExportSubjectPublicKeyInfo());
        _keys.Key = pinned;
        byte[] bytes = NewCommand().ToByteArray();
        var signed = new SignedCommand
        {
            Command = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            KeyId = "k1",
        };

        AssertRejected(_verifier.Verify(signed, Now), RejectionCodes.BadSignature, "does not verify");
    }

    [Fact]
    public void Verify_WrongKeyId_RejectedNamingBothKeys()
    {
        CommandVerification verification = _verifier.Verify(_collector.Sign(NewCommand(), keyId: "k2"), Now);

        AssertRejected(verification, RejectionCodes.KeyMismatch, "signed with key 'k2'");
        Assert.Contains("pinned key 'k1'", verification.Rejection!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyReplacedAfterReEnrolment_NewKeyUsed()
    {
        Assert.Null(_verifier.Verify(_collector.Sign(NewCommand()), Now).Rejection);
        using var rotated = new CommandSigner("k2");
        _keys.Key = rotated.Pinned;

        Assert.Null(_verifier.Verify(rotated.Sign(NewCommand()), Now).Rejection);
        AssertRejected(_verifier.Verify(_collector.Sign(NewCommand()), Now), RejectionCodes.KeyMismatch, "'k1'");
    }

    [Fact]
    public void Verify_SignedGarbage_RejectedMalformed()
    {
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0x01, 0x02];
        var signed = _collector.Sign(NewCommand());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var pinned = new EcdsaCommandKey("k1", key.ExportSubjectPublicKeyInfo());
        _keys.Key = pinned;
        signed.Command = ByteString.CopyFrom(garbage);
        signed.Signature = ByteString.CopyFrom(key.SignData(garbage, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        AssertRejected(_verifier.Verify(signed, Now), RejectionCodes.Malformed, "not a valid Command");
    }

    [Fact]
    public void Verify_OtherAgentsCommand_RejectedWrongAgent()
    {
        Command command = NewCommand();
        command.AgentId = "db-07";

        CommandVerification verification = _verifier.Verify(_collector.Sign(command), Now);

        AssertRejected(verification, RejectionCodes.WrongAgent, "addressed to agent 'db-07', but this is agent 'web-01'");
    }

    [Fact]
    public void Verify_ExpiredBeyondSkew_RejectedWithTimes()
    {
        Command command = NewCommand();
        command.IssuedUnixMs = Now.AddMinutes(-10).ToUnixTimeMilliseconds();
        command.ExpiresUnixMs = Now.AddSeconds(-61).ToUnixTimeMilliseconds();

        CommandVerification verification = _verifier.Verify(_collector.Sign(command), Now);

        AssertRejected(verification, RejectionCodes.Expired, "expired at 2025-06-01T11:58:59Z");
        Assert.Contains("allowed clock skew 60 s", verification.Rejection!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExpiredWithinSkew_Accepted()
    {
        Command command = NewCommand();
        command.IssuedUnixMs = Now.AddMinutes(-10).ToUnixTimeMilliseconds();
        command.ExpiresUnixMs = Now.AddSeconds(-59).ToUnixTimeMilliseconds();

        Assert.Null(_verifier.Verify(_collector.Sign(command), Now).Rejection);
    }

    [Fact]
    public void Verify_IssuedInTheFutureBeyondSkew_RejectedNotYetValid()
    {
        Command command = NewCommand();
        command.IssuedUnixMs = Now.AddSeconds(61).ToUnixTimeMilliseconds();
        command.ExpiresUnixMs = Now.AddMinutes(10).ToUnixTimeMilliseconds();

        AssertRejected(_verifier.Verify(_collector.Sign(command), Now), RejectionCodes.NotYetValid, "ahead of this agent's clock");
    }

    [Fact]
    public void Verify_IssuedInTheFutureWithinSkew_Accepted()
    {
        Command command = NewCommand();
        command.IssuedUnixMs = Now.AddSeconds(59).ToUnixTimeMilliseconds();

        Assert.Null(_verifier.Verify(_collector.Sign(command), Now).Rejection);
    }

    [Fact]
    public void Verify_ExpiryBeyondMaxLifetime_Rejected()
    {
        Command command = NewCommand();
        command.ExpiresUnixMs = Now.AddDays(2).ToUnixTimeMilliseconds();

        AssertRejected(_verifier.Verify(_collector.Sign(command), Now), RejectionCodes.LifetimeTooLong, "Agent:Commands:MaxCommandLifetime");
    }

    [Fact]
    public void Verify_NoExpiry_RejectedMalformed()
    {
        Command command = NewCommand();
        command.ExpiresUnixMs = 0;

        AssertRejected(_verifier.Verify(_collector.Sign(command), Now), RejectionCodes.Malformed, "later expiry");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(65)]
    public void Verify_NonceOfWrongLength_RejectedBadNonce(int length)
    {
        Command command = NewCommand();
        command.Nonce = ByteString.CopyFrom(new byte[length]);

        AssertRejected(_verifier.Verify(_collector.Sign(command), Now), RejectionCodes.BadNonce, $"nonce is {length} bytes");
    }

    [Fact]
    public void Verify_EmptyCommandId_RejectedMalformed()
    {
        Command command = NewCommand();
        command.CommandId = "";

        AssertRejected(_verifier.Verify(_collector.Sign(command), Now), RejectionCodes.Malformed, "command id");
    }

    private sealed class UnreadableKeyProvider : ICommandKeyProvider
    {
        public ICommandKey? GetPinnedKey() => throw new InvalidDataException("disk gone");
    }
}
