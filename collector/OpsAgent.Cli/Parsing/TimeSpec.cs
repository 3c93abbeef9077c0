using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OpsAgent.Cli.Parsing;

/// <summary>
/// A point in time as given on the command line: either "this long ago" (15m) or an absolute RFC 3339 time.
/// Kept unresolved until the command runs so that "now" comes from the injected clock.
/// </summary>
internal readonly record struct TimeSpec
{
    private static readonly string[] AbsoluteFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd",
    ];

    private TimeSpec(TimeSpan? ago, DateTimeOffset? at)
    {
        Ago = ago;
        At = at;
    }

    public TimeSpan? Ago { get; }

    public DateTimeOffset? At { get; }

    public static TimeSpec Now => new(TimeSpan.Zero, null);

    public static TimeSpec Before(TimeSpan ago) => new(ago, null);

    public static TimeSpec Absolute(DateTimeOffset at) => new(null, at);

    /// <summary>The instant meant, never before the Unix epoch (where no sample can be).</summary>
    public DateTimeOffset Resolve(DateTimeOffset now)
    {
        if (At is { } at)
        {
            return at;
        }

        var ago = Ago.GetValueOrDefault();
        return ago >= now - DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : now - ago;
    }

    /// <summary>Parses "now", a duration (how long ago) or an RFC 3339 time; times without an offset are UTC.</summary>
    public static bool TryParse(string optionName, string? text, out TimeSpec spec, [NotNullWhen(false)] out string? error)
    {
        error = null;
        spec = default;
        var trimmed = text?.Trim();
        if (string.Equals(trimmed, "now", StringComparison.OrdinalIgnoreCase))
        {
            spec = Now;
            return true;
        }

        if (DurationParser.TryParse(trimmed, out var ago))
        {
            spec = Before(ago);
            return true;
        }

        if (trimmed is not null
            && DateTimeOffset.TryParseExact(
                trimmed, AbsoluteFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            spec = Absolute(at);
            return true;
        }

        error = $"{optionName} '{text}' is neither a duration ({DurationParser.Examples}) nor an RFC 3339 time " +
                "(2025-01-31T08:00:00Z, 2025-01-31T09:00:00+01:00).";
        return false;
    }
}
