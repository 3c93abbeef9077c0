namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>Finds the temperature sensors in sysfs, and parses what they say.</summary>
/// <remarks>
/// Two interfaces expose temperatures. Thermal zones (/sys/class/thermal/thermal_zoneN/temp, with a "type" such
/// as "x86_pkg_temp" or "acpitz") are labelled zone and type. hwmon chips (/sys/class/hwmon/hwmonN/tempK_input)
/// are labelled chip (the driver's "name", e.g. "coretemp", "nvme"), device (the chip's device, e.g.
/// "coretemp.0" or "nvme0", which tells two chips of the same driver apart and, unlike hwmonN, stays the same
/// across reboots; hwmonN when the chip has no device link) and sensor (tempK_label when the driver gives one, e.g. "Package id 0", else "tempK").
/// A host without either directory (most virtual machines) simply has no sensors.
/// </remarks>
internal static class TemperatureSensorDiscovery
{
    public static List<TemperatureSensor> Discover(string sysRoot, ProcFileReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sensors = new List<TemperatureSensor>();
        AddThermalZones(Path.Combine(sysRoot, "class", "thermal"), reader, sensors);
        AddHwmonChips(Path.Combine(sysRoot, "class", "hwmon"), reader, sensors);
        sensors.Sort(static (a, b) => string.CompareOrdinal(a.InputPath, b.InputPath));
        return sensors;
    }

    /// <summary>Parses a sysfs temperature ("45000\n", millidegrees Celsius) into degrees Celsius.</summary>
    public static bool TryParseCelsius(ReadOnlySpan<char> text, out double celsius)
    {
        if (FieldReader.TryParseInt64(text.Trim(), out long millidegrees))
        {
            celsius = millidegrees / 1000.0;
            return true;
        }

        celsius = 0;
        return false;
    }

    private static void AddThermalZones(string classDir, ProcFileReader reader, List<TemperatureSensor> sensors)
    {
        if (!Directory.Exists(classDir))
        {
            return;
        }

        foreach (string zoneDir in Directory.EnumerateDirectories(classDir, "thermal_zone*"))
        {
            string input = Path.Combine(zoneDir, "temp");
            if (!File.Exists(input))
            {
                continue;
            }

            string zone = Path.GetFileName(zoneDir);
            string type = ReadTrimmed(reader, Path.Combine(zoneDir, "type")) ?? zone;
            sensors.Add(new TemperatureSensor(input, [new("zone", zone), new("type", type)]));
        }
    }

    private static void AddHwmonChips(string classDir, ProcFileReader reader, List<TemperatureSensor> sensors)
    {
        if (!Directory.Exists(classDir))
        {
            return;
        }

        foreach (string chipDir in Directory.EnumerateDirectories(classDir, "hwmon*"))
        {
            // Old drivers keep their attributes in the device directory instead of the hwmon one.
            string attributes = Directory.EnumerateFiles(chipDir, "temp*_input").Any()
                ? chipDir
                : Path.Combine(chipDir, "device");
            if (!Directory.Exists(attributes))
            {
                continue;
            }

            string chip = ReadTrimmed(reader, Path.Combine(chipDir, "name"))
                ?? ReadTrimmed(reader, Path.Combine(attributes, "name"))
                ?? Path.GetFileName(chipDir);
            string device = DeviceName(chipDir);
            foreach (string input in Directory.EnumerateFiles(attributes, "temp*_input"))
            {
                string file = Path.GetFileName(input);
                string index = file[..^"_input".Length];
                string sensor = ReadTrimmed(reader, Path.Combine(attributes, index + "_label")) ?? index;
                sensors.Add(new TemperatureSensor(input, [new("chip", chip), new("device", device), new("sensor", sensor)]));
            }
        }
    }

    private static string DeviceName(string chipDir)
    {
        var link = new DirectoryInfo(Path.Combine(chipDir, "device"));
        string? target = link.Exists ? link.LinkTarget : null;
        return target is null ? Path.GetFileName(chipDir) : Path.GetFileName(target.TrimEnd('/'));
    }

    private static string? ReadTrimmed(ProcFileReader reader, string path)
    {
        if (!reader.TryReadAll(path, out ReadOnlySpan<char> text))
        {
            return null;
        }

        ReadOnlySpan<char> trimmed = text.Trim();
        return trimmed.IsEmpty ? null : trimmed.ToString();
    }
}
