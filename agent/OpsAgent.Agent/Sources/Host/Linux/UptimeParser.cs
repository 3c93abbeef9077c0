namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Parses /proc/uptime: seconds since boot, then idle seconds summed over CPUs ("3763.62 7267.00").</summary>
internal static class UptimeParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out double uptimeSeconds)
    {
        var fields = new FieldReader(text.Trim());
        return fields.TryNextDouble(out uptimeSeconds);
    }
}
