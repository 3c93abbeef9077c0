using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Identity;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Commands;

/// <summary>
/// Decides whether a command really comes from the collector this agent trusts and is meant for it, now. In this
/// order, stopping at the first failure: the signature over the exact command bytes with the pinned key (and its key
/// id); only then parsing; the target agent; expiry and issue time (within <see cref="CommandOptions.ClockSkew"/>);
/// the form of the nonce. Replay and idempotency need the memory of earlier commands: <see cref="CommandJournal"/>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class CommandVerifier
{
    public const int MinNonceBytes = 16;
    public const int MaxNonceBytes = 64;
    public const int MaxCommandIdLength = 128;

    private readonly ICommandKeyProvider _keys;
    private readonly string _agentId;
    private readonly TimeSpan _skew;
    private readonly TimeSpan _maxLifetime;

    public CommandVerifier(ICommandKeyProvider keys, AgentIdentity identity, IOptions<CommandOptions> options)
    {
        _keys = keys;
        _agentId = identity.AgentId;
        _skew = options.Value.ClockSkew;
        _maxLifetime = options.Value.MaxCommandLifetime;
    }

    public CommandVerification Verify(SignedCommand signed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ICommandKey? key;
        try
        {
            key = _keys.GetPinnedKey();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException)
        {
            return Reject(signed, RejectionCodes.NoPinnedKey,
                $"This agent cannot read its pinned command signing key ({ex.Message}), so it cannot verify any command. Check the " +
                "agent's state directory (disk, permissions); if the key file is damaged, re-enrol the agent.");
        }

        if (key is null)
        {
            return Reject(signed, RejectionCodes.NoPinnedKey,
                "This agent has no pinned command signing key, so it cannot tell the collector's commands from forged ones and " +
                "rejects every command. The key is pinned when the agent enrols with the collector: enrol it, then send the command again.");
        }

        if (signed.Signature.IsEmpty)
        {
            return Reject(signed, RejectionCodes.Unsigned,
                "The command is not signed. Every command must carry the collector's signature; an unsigned command is refused " +
                "whatever it asks. If the collector sent it, its command signing is broken.");
        }

        if (!string.Equals(signed.KeyId, key.KeyId, StringComparison.Ordinal))
        {
            return Reject(signed, RejectionCodes.KeyMismatch,
                $"The command is signed with key '{Printable(signed.KeyId)}', but this agent pinned key '{key.KeyId}' at enrolment. " +
                "If the collector's signing key was replaced, re-enrol the agent to pin the new one; otherwise the command did not " +
                "come from the collector this agent trusts.");
        }

        if (!VerifySignature(key, signed))
        {
            return Reject(signed, RejectionCodes.BadSignature,
                $"The signature does not verify with pinned key {key.KeyId} — the collector's signing key changed or the message " +
                "was forged or altered on the way. It was not run.");
        }

        // Only now is anything in the message trusted enough to be parsed.
        Command command;
        try
        {
            command = Command.Parser.ParseFrom(signed.Command);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return CommandVerification.Rejected("", RejectionCodes.Malformed,
                $"The command is correctly signed but is not a valid Command message ({ex.Message}). The collector and this agent " +
                "may run incompatible versions; it was not run.");
        }

        return VerifyContent(command, now);
    }

    private CommandVerification VerifyContent(Command command, DateTimeOffset now)
    {
        string id = command.CommandId;
        if (id.Length is 0 or > MaxCommandIdLength || id.Any(char.IsControl))
        {
            return CommandVerification.Rejected(Printable(id), RejectionCodes.Malformed,
                $"The command id '{Printable(id)}' is empty, longer than {MaxCommandIdLength} characters or holds control characters; " +
                "the agent needs a usable id to run a command at most once. It was not run.");
        }

        if (!string.Equals(command.AgentId, _agentId, StringComparison.Ordinal))
        {
            return CommandVerification.Rejected(id, RejectionCodes.WrongAgent,
                $"The command is addressed to agent '{Printable(command.AgentId)}', but this is agent '{_agentId}'. " +
                "It reached the wrong agent and was not run.");
        }

        long nowMs = now.ToUnixTimeMilliseconds();
        long skewMs = (long)_skew.TotalMilliseconds;
        string skew = Seconds(_skew);
        if (command.ExpiresUnixMs <= 0 || command.IssuedUnixMs <= 0 || command.ExpiresUnixMs <= command.IssuedUnixMs ||
            command.ExpiresUnixMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return CommandVerification.Rejected(id, RejectionCodes.Malformed,
                $"The command's validity is not usable (issued {command.IssuedUnixMs}, expires {command.ExpiresUnixMs} in unix ms): every command " +
                "must carry an issue time and a later expiry. It was not run.");
        }

        if (nowMs > command.ExpiresUnixMs + skewMs)
        {
            return CommandVerification.Rejected(id, RejectionCodes.Expired,
                $"The command expired at {Time(command.ExpiresUnixMs)}; it is now {Time(nowMs)} on this agent (allowed clock skew {skew}). " +
                "Send a new command if it is still needed; if this agent's clock is wrong, fix its time synchronisation.");
        }

        if (command.IssuedUnixMs > nowMs + skewMs)
        {
            return CommandVerification.Rejected(id, RejectionCodes.NotYetValid,
                $"The command was issued at {Time(command.IssuedUnixMs)}, more than {skew} ahead of this agent's clock ({Time(nowMs)}). " +
                "One of the two clocks is wrong: check time synchronisation (NTP) on the agent and the collector.");
        }

        if (command.ExpiresUnixMs - nowMs > (long)(_maxLifetime + _skew).TotalMilliseconds)
        {
            return CommandVerification.Rejected(id, RejectionCodes.LifetimeTooLong,
                $"The command expires at {Time(command.ExpiresUnixMs)}, further ahead than this agent accepts " +
                $"({_maxLifetime.TotalHours:0.#} h, Agent:Commands:MaxCommandLifetime): it remembers every command until it expires, " +
                "to refuse replays, and that memory is bounded. Send it with an earlier expiry.");
        }

        if (command.Nonce.Length is < MinNonceBytes or > MaxNonceBytes)
        {
            return CommandVerification.Rejected(id, RejectionCodes.BadNonce,
                $"The command's nonce is {command.Nonce.Length} bytes; it must be {MinNonceBytes} random bytes (at most {MaxNonceBytes}), " +
                "never reused. It was not run.");
        }

        return CommandVerification.Accepted(command);
    }

    private static bool VerifySignature(ICommandKey key, SignedCommand signed)
    {
        try
        {
            return key.Verify(signed.Command.Span, signed.Signature.Span);
        }
        catch (CryptographicException)
        {
            // A signature of the wrong shape is as false as a wrong one; the caller says so.
            return false;
        }
    }

    /// <summary>
    /// A rejection before the signature was verified. The decision is already made; the message is parsed afterwards only
    /// to label the result with the command id it claims, so that the collector can match the rejection to what it sent.
    /// </summary>
    private static CommandVerification Reject(SignedCommand signed, string code, string reason)
    {
        string claimed = "";
        try
        {
            claimed = Printable(Command.Parser.ParseFrom(signed.Command).CommandId);
        }
        catch (InvalidProtocolBufferException)
        {
            // Not even a Command: the result carries no id.
        }

        return CommandVerification.Rejected(claimed, code, reason);
    }

    /// <summary>Untrusted text as it may appear in a reason: bounded, without control characters.</summary>
    private static string Printable(string text)
    {
        string bounded = text.Length > MaxCommandIdLength ? text[..MaxCommandIdLength] + "..." : text;
        return bounded.Any(char.IsControl) ? new string(bounded.Select(c => char.IsControl(c) ? '?' : c).ToArray()) : bounded;
    }

    private static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.#} s";
}
