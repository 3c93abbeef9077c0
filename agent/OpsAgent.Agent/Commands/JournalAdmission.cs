using OpsAgent.Protocol;

namespace OpsAgent.Agent.Commands;

/// <summary>What the journal says about a verified command that has just arrived.</summary>
internal enum JournalAdmissionKind
{
    /// <summary>New: it may be queued (it now counts as in flight until it begins, is recorded, or is withdrawn).</summary>
    Accepted,

    /// <summary>This command id has run already: send its stored result again, do not run it.</summary>
    AlreadyRun,

    /// <summary>This command id is queued or running now: its result will follow.</summary>
    InFlight,

    /// <summary>The nonce belongs to another command: a replay or a duplicated message.</summary>
    NonceReused,

    /// <summary>Too many unexpired commands remembered; accepting more would mean forgetting nonces early.</summary>
    Full,
}

/// <param name="StoredResult">For <see cref="JournalAdmissionKind.AlreadyRun"/>: the result to send again.</param>
/// <param name="NonceOwner">For <see cref="JournalAdmissionKind.NonceReused"/>: the command the nonce belongs to.</param>
internal sealed record JournalAdmission(JournalAdmissionKind Kind, CommandResult? StoredResult = null, string? NonceOwner = null);
