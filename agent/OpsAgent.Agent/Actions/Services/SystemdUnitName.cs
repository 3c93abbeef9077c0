namespace OpsAgent.Agent.Actions.Services;

/// <summary>systemd unit names: what is a valid one, and the ".service" that systemctl adds when the type is left out.</summary>
internal static class SystemdUnitName
{
    private static readonly string[] UnitTypes =
    [
        ".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope",
    ];

    /// <summary>The characters systemd allows in unit names; never a leading '-', which systemctl would read as an option.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > 255 || name[0] == '-')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.' or '@' or '\\'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"nginx" and "nginx.service" name the same unit; policy and commands are compared in this form.</summary>
    public static string Normalize(string name)
    {
        foreach (string type in UnitTypes)
        {
            if (name.EndsWith(type, StringComparison.Ordinal) && name.Length > type.Length)
            {
                return name;
            }
        }

        return name + ".service";
    }
}
