using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// Parses /proc/self/mountinfo: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
/// </summary>
/// <remarks>
/// The optional fields before " - " vary in number, so the line is split at that separator. Paths have space, tab,
/// newline and backslash escaped as three-digit octal ("\040"), so neither half can contain " - " by accident.
/// </remarks>
internal static class MountInfoParser
{
    public static List<MountInfo> Parse(ReadOnlySpan<char> text, out int malformedLines)
    {
        var mounts = new List<MountInfo>();
        malformedLines = 0;
        foreach (ReadOnlySpan<char> line in text.EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            if (TryParseLine(line, out MountInfo? mount))
            {
                mounts.Add(mount);
            }
            else
            {
                malformedLines++;
            }
        }

        return mounts;
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, [NotNullWhen(true)] out MountInfo? mount)
    {
        mount = null;
        int separator = line.IndexOf(" - ");
        if (separator < 0)
        {
            return false;
        }

        var left = new FieldReader(line[..separator]);
        if (!left.TryNext(out ReadOnlySpan<char> id) ||
            !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int mountId) ||
            !left.TryNext(out _) ||
            !left.TryNext(out ReadOnlySpan<char> device) ||
            !TryParseDevice(device, out uint major, out uint minor) ||
            !left.TryNext(out ReadOnlySpan<char> root) ||
            !left.TryNext(out ReadOnlySpan<char> mountPoint) ||
            !left.TryNext(out _))
        {
            return false;
        }

        // "fstype source super-options", split on single spaces: the source may be an empty string.
        ReadOnlySpan<char> right = line[(separator + 3)..];
        int typeEnd = right.IndexOf(' ');
        if (typeEnd <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> fsType = right[..typeEnd];
        ReadOnlySpan<char> afterType = right[(typeEnd + 1)..];
        int sourceEnd = afterType.IndexOf(' ');
        ReadOnlySpan<char> source = sourceEnd < 0 ? afterType : afterType[..sourceEnd];
        ReadOnlySpan<char> superOptions = sourceEnd < 0 ? default : afterType[(sourceEnd + 1)..];

        mount = new MountInfo(
            mountId,
            major,
            minor,
            Unescape(root),
            Unescape(mountPoint),
            HasOption(superOptions, "ro"),
            fsType.ToString(),
            Unescape(source));
        return true;
    }

    private static bool TryParseDevice(ReadOnlySpan<char> text, out uint major, out uint minor)
    {
        major = 0;
        minor = 0;
        int colon = text.IndexOf(':');
        return colon > 0 &&
            uint.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out major) &&
            uint.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    private static bool HasOption(ReadOnlySpan<char> options, ReadOnlySpan<char> option)
    {
        foreach (Range range in options.Split(','))
        {
            if (options[range].SequenceEqual(option))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Undoes the kernel's octal escapes ("\040" is a space); anything else is kept as it is.</summary>
    internal static string Unescape(ReadOnlySpan<char> text)
    {
        if (!text.Contains('\\'))
        {
            return text.ToString();
        }

        Span<char> buffer = text.Length <= 512 ? stackalloc char[text.Length] : new char[text.Length];
        int length = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && IsOctal(text[i + 1]) && IsOctal(text[i + 2]) && IsOctal(text[i + 3]))
            {
                buffer[length++] = (char)(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0'));
                i += 3;
            }
            else
            {
                buffer[length++] = text[i];
            }
        }

        return new string(buffer[..length]);
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
