using System.Globalization;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Parses /proc/stat (proc(5)): the cpu lines and the process counters.</summary>
internal static class ProcStatParser
{
    // Linux supports at most 8192 CPUs today (CONFIG_NR_CPUS); a larger id is a corrupt line, not a machine.
    private const int MaxCpuId = 65_535;

    public static void Parse(ReadOnlySpan<char> text, ProcStat into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();
        foreach (ReadOnlySpan<char> line in text.EnumerateLines())
        {
            var fields = new FieldReader(line);
            if (!fields.TryNext(out ReadOnlySpan<char> key))
            {
                continue;
            }

            if (key.StartsWith("cpu"))
            {
                ParseCpuLine(key, ref fields, into);
            }
            else if (key.SequenceEqual("processes"))
            {
                into.ProcessesCreated = ReadSingle(ref fields, into);
            }
            else if (key.SequenceEqual("procs_running"))
            {
                into.ProcessesRunning = ReadSingle(ref fields, into);
            }
            else if (key.SequenceEqual("procs_blocked"))
            {
                into.ProcessesBlocked = ReadSingle(ref fields, into);
            }
        }
    }

    private static void ParseCpuLine(ReadOnlySpan<char> key, ref FieldReader fields, ProcStat into)
    {
        int id = -1;
        if (key.Length > 3 && (!int.TryParse(key[3..], NumberStyles.None, CultureInfo.InvariantCulture, out id) || id > MaxCpuId))
        {
            into.MalformedLines++;
            return;
        }

        // user nice system idle iowait irq softirq steal guest guest_nice; kernels before 2.6.11 stop after idle,
        // and the fields they lack are zero. Guest time is already included in user and nice.
        Span<ulong> values = stackalloc ulong[8];
        int count = 0;
        while (count < values.Length && fields.TryNext(out ReadOnlySpan<char> field))
        {
            if (!FieldReader.TryParseUInt64(field, out values[count]))
            {
                into.MalformedLines++;
                return;
            }

            count++;
        }

        if (count < 4)
        {
            into.MalformedLines++;
            return;
        }

        var times = new CpuTimes(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
        if (id < 0)
        {
            into.AllCpus = times;
        }
        else
        {
            into.Cpus.Add(new CpuReading(id, times));
        }
    }

    private static ulong? ReadSingle(ref FieldReader fields, ProcStat into)
    {
        if (fields.TryNextUInt64(out ulong value))
        {
            return value;
        }

        into.MalformedLines++;
        return null;
    }
}
