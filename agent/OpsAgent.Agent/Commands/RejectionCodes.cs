namespace OpsAgent.Agent.Commands;

/// <summary>Why a command was not run, as a short stable code: the label of the rejection metric.</summary>
internal static class RejectionCodes
{
    public const string NoPinnedKey = "no_pinned_key";
    public const string Unsigned = "unsigned";
    public const string KeyMismatch = "key_mismatch";
    public const string BadSignature = "bad_signature";
    public const string Malformed = "malformed";
    public const string WrongAgent = "wrong_agent";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string LifetimeTooLong = "lifetime_too_long";
    public const string BadNonce = "bad_nonce";
    public const string ReplayedNonce = "replayed_nonce";
    public const string QueueFull = "queue_full";
    public const string JournalFull = "journal_full";
    public const string StateUnwritable = "state_unwritable";
    public const string NoPolicy = "no_policy";
    public const string PolicyDenied = "policy_denied";
    public const string InvalidRequest = "invalid_request";
    public const string Unsupported = "unsupported";
}
