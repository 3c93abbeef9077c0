namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Parses /proc/vmstat ("pgfault 3141431"), one counter per line.</summary>
internal static class VmStatParser
{
    public static VmStat Parse(ReadOnlySpan<char> text)
    {
        ulong? faults = null, majorFaults = null, swapIns = null, swapOuts = null;
        int malformed = 0;

        foreach (ReadOnlySpan<char> line in text.EnumerateLines())
        {
            var fields = new FieldReader(line);
            if (!fields.TryNext(out ReadOnlySpan<char> key))
            {
                continue;
            }

            switch (key)
            {
                case "pgfault": faults = ParseValue(ref fields, ref malformed); break;
                case "pgmajfault": majorFaults = ParseValue(ref fields, ref malformed); break;
                case "pswpin": swapIns = ParseValue(ref fields, ref malformed); break;
                case "pswpout": swapOuts = ParseValue(ref fields, ref malformed); break;
                default: break;
            }
        }

        return new VmStat
        {
            PageFaults = faults,
            MajorPageFaults = majorFaults,
            SwapIns = swapIns,
            SwapOuts = swapOuts,
            MalformedLines = malformed,
        };
    }

    private static ulong? ParseValue(ref FieldReader fields, ref int malformed)
    {
        if (fields.TryNextUInt64(out ulong value))
        {
            return value;
        }

        malformed++;
        return null;
    }
}
