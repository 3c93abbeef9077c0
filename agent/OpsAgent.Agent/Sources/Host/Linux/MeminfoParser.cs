namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Parses /proc/meminfo ("MemTotal:       24684096 kB").</summary>
internal static class MeminfoParser
{
    public static Meminfo Parse(ReadOnlySpan<char> text)
    {
        ulong? total = null, free = null, available = null, buffers = null, cached = null;
        ulong? slabReclaimable = null, slabUnreclaimable = null, swapTotal = null, swapFree = null;
        int malformed = 0;

        foreach (ReadOnlySpan<char> line in text.EnumerateLines())
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            ReadOnlySpan<char> value = line[(colon + 1)..];
            switch (line[..colon])
            {
                case "MemTotal": total = ParseBytes(value, ref malformed); break;
                case "MemFree": free = ParseBytes(value, ref malformed); break;
                case "MemAvailable": available = ParseBytes(value, ref malformed); break;
                case "Buffers": buffers = ParseBytes(value, ref malformed); break;
                case "Cached": cached = ParseBytes(value, ref malformed); break;
                case "SReclaimable": slabReclaimable = ParseBytes(value, ref malformed); break;
                case "SUnreclaim": slabUnreclaimable = ParseBytes(value, ref malformed); break;
                case "SwapTotal": swapTotal = ParseBytes(value, ref malformed); break;
                case "SwapFree": swapFree = ParseBytes(value, ref malformed); break;
                default: break;
            }
        }

        return new Meminfo
        {
            MemTotal = total,
            MemFree = free,
            MemAvailable = available,
            Buffers = buffers,
            Cached = cached,
            SReclaimable = slabReclaimable,
            SUnreclaim = slabUnreclaimable,
            SwapTotal = swapTotal,
            SwapFree = swapFree,
            MalformedLines = malformed,
        };
    }

    /// <summary>"  24684096 kB" in bytes. The kernel's "kB" is KiB; a value without a unit is a count, not bytes.</summary>
    private static ulong? ParseBytes(ReadOnlySpan<char> value, ref int malformed)
    {
        var fields = new FieldReader(value);
        if (!fields.TryNextUInt64(out ulong number) || !fields.TryNext(out ReadOnlySpan<char> unit) ||
            !unit.SequenceEqual("kB") || number > ulong.MaxValue / 1024)
        {
            malformed++;
            return null;
        }

        return number * 1024;
    }
}
