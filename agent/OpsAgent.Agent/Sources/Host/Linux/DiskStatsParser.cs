using System.Globalization;
using System.Text;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// Reads /proc/diskstats line by line without allocating:
/// "254 0 vda 10427 5127 1461026 9304 5229 16140 3368776 7130 0 5692 16654 [discard and flush fields]".
/// </summary>
internal ref struct DiskStatsParser
{
    // major, minor, name and the eleven fields every kernel since 2.6.25 has; 4.18 adds four discard fields and
    // 5.5 two flush fields, which are not used here.
    private const int MinimumFields = 14;

    private SpanLineEnumerator _lines;

    public DiskStatsParser(ReadOnlySpan<char> text)
    {
        _lines = text.EnumerateLines();
    }

    /// <summary>Lines skipped so far because they had too few fields or a field that is not a number.</summary>
    public int MalformedLines { get; private set; }

    public bool TryRead(out DiskStatsEntry entry)
    {
        while (_lines.MoveNext())
        {
            ReadOnlySpan<char> line = _lines.Current;
            if (line.IsWhiteSpace())
            {
                continue;
            }

            if (TryParseLine(line, out entry))
            {
                return true;
            }

            MalformedLines++;
        }

        entry = default;
        return false;
    }

    private static bool TryParseLine(ReadOnlySpan<char> line, out DiskStatsEntry entry)
    {
        entry = default;
        var fields = new FieldReader(line);
        Span<ulong> values = stackalloc ulong[MinimumFields - 3];
        if (!fields.TryNext(out ReadOnlySpan<char> majorText) ||
            !uint.TryParse(majorText, NumberStyles.None, CultureInfo.InvariantCulture, out uint major) ||
            !fields.TryNext(out ReadOnlySpan<char> minorText) ||
            !uint.TryParse(minorText, NumberStyles.None, CultureInfo.InvariantCulture, out uint minor) ||
            !fields.TryNext(out ReadOnlySpan<char> name))
        {
            return false;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!fields.TryNextUInt64(out values[i]))
            {
                return false;
            }
        }

        entry = new DiskStatsEntry
        {
            Major = major,
            Minor = minor,
            Name = name,
            ReadsCompleted = values[0],
            SectorsRead = values[2],
            ReadTimeMs = values[3],
            WritesCompleted = values[4],
            SectorsWritten = values[6],
            WriteTimeMs = values[7],
            InProgress = values[8],
            IoTimeMs = values[9],
        };
        return true;
    }
}
