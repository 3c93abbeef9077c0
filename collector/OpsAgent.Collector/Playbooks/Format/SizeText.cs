using System.Globalization;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary>
/// Sizes in bytes as admins type them: <c>500</c> (bytes), <c>10MB</c> (10 000 000), <c>10MiB</c> (10 485 760),
/// KB/MB/GB/TB and KiB/MiB/GiB/TiB; the unit is case-insensitive.
/// </summary>
internal static class SizeText
{
    private static readonly (string Unit, long Size)[] Units =
    [
        ("b", 1),
        ("kb", 1000), ("mb", 1000_000), ("gb", 1000_000_000), ("tb", 1000_000_000_000),
        ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("tib", 1L << 40),
    ];

    public static bool TryParse(string text, out long bytes, out string error)
    {
        bytes = 0;
        error = "";
        string s = text.Trim();
        int i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        string unit = s[i..].Trim().ToLowerInvariant();
        long size = unit.Length == 0 ? 1 : Array.Find(Units, u => u.Unit == unit).Size;
        if (i == 0 || size == 0 || !long.TryParse(s.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            error = $"'{s}' is not a size; write bytes (1048576) or a number with a unit: KB, MB, GB, TB, KiB, MiB, GiB or TiB (e.g. 100MB).";
            return false;
        }

        try
        {
            bytes = checked(amount * size);
            return true;
        }
        catch (OverflowException)
        {
            error = $"'{s}' is far too large a size.";
            return false;
        }
    }
}
