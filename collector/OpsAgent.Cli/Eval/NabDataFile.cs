namespace OpsAgent.Cli.Eval;

/// <summary>One NAB-format CSV as read: the original text of each row (so the results file repeats it) and its parsed form.</summary>
internal sealed record NabDataFile(
    string RelativePath,
    IReadOnlyList<string> TimestampText,
    IReadOnlyList<string> ValueText,
    long[] TimestampsMs,
    double[] Values);
