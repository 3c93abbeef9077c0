namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Parses /proc/loadavg: "0.16 0.68 0.40 1/86 6082".</summary>
internal static class LoadAvgParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out LoadAverage load)
    {
        load = default;
        var fields = new FieldReader(text.Trim());
        if (!fields.TryNextDouble(out double one) || !fields.TryNextDouble(out double five) ||
            !fields.TryNextDouble(out double fifteen) || !fields.TryNext(out ReadOnlySpan<char> threads))
        {
            return false;
        }

        int slash = threads.IndexOf('/');
        if (slash < 0 || !FieldReader.TryParseUInt64(threads[..slash], out ulong runnable) ||
            !FieldReader.TryParseUInt64(threads[(slash + 1)..], out ulong total))
        {
            return false;
        }

        load = new LoadAverage(one, five, fifteen, runnable, total);
        return true;
    }
}
