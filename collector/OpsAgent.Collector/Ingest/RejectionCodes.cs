namespace OpsAgent.Collector.Ingest;

/// <summary>Stable codes of ingest rejections; they appear in acks, agent logs and as a label on /metrics.</summary>
internal static class RejectionCodes
{
    public const string BatchTooLarge = "batch_too_large";
    public const string TooManySeries = "too_many_series";
    public const string TooManySamples = "too_many_samples";
    public const string BadName = "bad_name";
    public const string BadLabel = "bad_label";
    public const string LabelLimit = "label_limit";
    public const string ReservedLabel = "reserved_label";
    public const string DuplicateLabel = "duplicate_label";
    public const string BadUnit = "bad_unit";
    public const string BadSamples = "bad_samples";
    public const string FutureTimestamp = "future_timestamp";
    public const string TooOld = "too_old";
    public const string Unsupported = "unsupported";
    public const string SeriesLimit = "series_limit";
    public const string BadCommandResult = "bad_command_result";
    public const string UnknownCommand = "unknown_command";
    public const string ForeignCommand = "foreign_command";

    public static readonly string[] All =
    [
        BatchTooLarge, TooManySeries, TooManySamples, BadName, BadLabel, LabelLimit, ReservedLabel, DuplicateLabel,
        BadUnit, BadSamples, FutureTimestamp, TooOld, Unsupported, SeriesLimit, BadCommandResult, UnknownCommand, ForeignCommand,
    ];
}
