using System.Globalization;
using System.Text;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// Durations as admins type them: <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>, <c>500ms</c>, and sums such as
/// <c>1h30m</c>. A bare number is refused rather than guessed: "30" could mean seconds or minutes.
/// </summary>
internal static class DurationText
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("h", TimeSpan.FromHours(1)),
        ("d", TimeSpan.FromDays(1)),
        ("w", TimeSpan.FromDays(7)),
    ];

    public static bool TryParse(string text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        string s = text.Trim();
        if (s.Length == 0)
        {
            error = "is empty; write a duration like 30s, 15m, 2h or 7d.";
            return false;
        }

        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long bare))
        {
            error = $"'{s}' has no unit; write {bare}s, {bare}m, {bare}h or {bare}d.";
            return false;
        }

        int i = 0;
        long totalTicks = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            int unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            string unit = s[unitStart..i];
            (string Unit, TimeSpan Size) match = Array.Find(Units, u => string.Equals(u.Unit, unit, StringComparison.Ordinal));
            if (unitStart == start || match.Unit is null
                || !long.TryParse(s.AsSpan(start, unitStart - start), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
            {
                error = $"'{s}' is not a duration; write a number and a unit (ms, s, m, h, d, w), e.g. 30s, 15m, 2h, 7d or 1h30m.";
                return false;
            }

            try
            {
                totalTicks = checked(totalTicks + checked(amount * match.Size.Ticks));
            }
            catch (OverflowException)
            {
                error = $"'{s}' is far too long a duration.";
                return false;
            }
        }

        value = TimeSpan.FromTicks(totalTicks);
        return true;
    }

    /// <summary>The shortest exact text for a duration, as the parser accepts it ("1h30m", "45s", "0s").</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        long ticks = value.Ticks;
        for (int i = Units.Length - 2; i >= 0; i--)
        {
            // Weeks are left out of formatting: "14d" reads better than "2w".
            long size = Units[i].Size.Ticks;
            long count = ticks / size;
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(Units[i].Unit);
                ticks -= count * size;
            }
        }

        return text.Length == 0 ? "0s" : text.ToString();
    }
}
