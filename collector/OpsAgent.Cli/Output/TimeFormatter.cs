using System.Globalization;

namespace OpsAgent.Cli.Output;

/// <summary>Times as opsctl shows them: relative for people ("12s ago"), RFC 3339 UTC for JSON.</summary>
internal static class TimeFormatter
{
    /// <summary>RFC 3339 in UTC with milliseconds, fixed width so that strings sort like times; null for 0 (never).</summary>
    public static string? ToRfc3339(long unixMs) =>
        unixMs <= 0 ? null : ToRfc3339(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    public static string ToRfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>"12s ago", "3h12m ago", "never"; "in 5s" when the collector's clock is ahead of ours.</summary>
    public static string Ago(long unixMs, DateTimeOffset now)
    {
        if (unixMs <= 0)
        {
            return "never";
        }

        var elapsed = now - DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        return elapsed < TimeSpan.Zero ? "in " + Age(-elapsed) : Age(elapsed) + " ago";
    }

    /// <summary>A compact age with at most two units: 12s, 5m12s, 3h12m, 2d3h.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age switch
        {
            { TotalMinutes: < 1 } => $"{(int)age.TotalSeconds}s",
            { TotalHours: < 1 } => Two(age.Minutes, "m", age.Seconds, "s"),
            { TotalDays: < 1 } => Two(age.Hours, "h", age.Minutes, "m"),
            _ => Two((int)age.TotalDays, "d", age.Hours, "h"),
        };

        static string Two(int major, string majorUnit, int minor, string minorUnit) =>
            minor == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{major}{majorUnit}")
                : string.Create(CultureInfo.InvariantCulture, $"{major}{majorUnit}{minor}{minorUnit}");
    }

    /// <summary>An absolute time in the given zone, for detail views: 2025-01-31 09:00:00 +01:00.</summary>
    public static string Local(long unixMs, TimeZoneInfo zone)
    {
        if (unixMs <= 0)
        {
            return "never";
        }

        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone);
        return local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
    }
}
