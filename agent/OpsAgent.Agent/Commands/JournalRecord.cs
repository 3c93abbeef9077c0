namespace OpsAgent.Agent.Commands;

/// <summary>One command as the journal keeps it on disk: one small JSON file per command.</summary>
internal sealed class JournalRecord
{
    public string CommandId { get; set; } = "";

    /// <summary>Base64 of the command's nonce.</summary>
    public string Nonce { get; set; } = "";

    /// <summary>The record may be forgotten once the command has expired (plus the allowed clock skew).</summary>
    public long ExpiresUnixMs { get; set; }

    public long AcceptedUnixMs { get; set; }

    /// <summary>Base64 of the serialized CommandResult; null while the command runs.</summary>
    public string? Result { get; set; }
}
