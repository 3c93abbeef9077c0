using System.Text;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// Reads /proc/net/dev line by line without allocating. After two header lines, one line per interface:
/// "  eth0: 268210926 8760 0 0 0 0 0 0 631262 6631 0 0 0 0 0 0" (receive: bytes packets errs drop fifo frame
/// compressed multicast; transmit: bytes packets errs drop fifo colls carrier compressed).
/// </summary>
internal ref struct NetDevParser
{
    private const int Fields = 16;

    private SpanLineEnumerator _lines;

    public NetDevParser(ReadOnlySpan<char> text)
    {
        _lines = text.EnumerateLines();
    }

    /// <summary>Interface lines skipped so far because they had too few fields or a field that is not a number.</summary>
    public int MalformedLines { get; private set; }

    public bool TryRead(out NetDevEntry entry)
    {
        while (_lines.MoveNext())
        {
            ReadOnlySpan<char> line = _lines.Current;

            // Interface names cannot contain ':' or '|'; the header lines have '|' and no ':'.
            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                if (!line.IsWhiteSpace() && !line.Contains('|'))
                {
                    MalformedLines++;
                }

                continue;
            }

            if (TryParse(line[..colon].Trim(), line[(colon + 1)..], out entry))
            {
                return true;
            }

            MalformedLines++;
        }

        entry = default;
        return false;
    }

    private static bool TryParse(ReadOnlySpan<char> name, ReadOnlySpan<char> counters, out NetDevEntry entry)
    {
        entry = default;
        if (name.IsEmpty)
        {
            return false;
        }

        Span<ulong> values = stackalloc ulong[Fields];
        var fields = new FieldReader(counters);
        for (int i = 0; i < values.Length; i++)
        {
            if (!fields.TryNextUInt64(out values[i]))
            {
                return false;
            }
        }

        entry = new NetDevEntry
        {
            Name = name,
            ReceiveBytes = values[0],
            ReceivePackets = values[1],
            ReceiveErrors = values[2],
            ReceiveDropped = values[3],
            TransmitBytes = values[8],
            TransmitPackets = values[9],
            TransmitErrors = values[10],
            TransmitDropped = values[11],
        };
        return true;
    }
}
