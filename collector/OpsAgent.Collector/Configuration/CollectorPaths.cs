namespace OpsAgent.Collector.Configuration;

internal static class CollectorPaths
{
    public const string ConfigFileVariable = "OPSAGENT_COLLECTOR_CONFIG";

    public static string DefaultConfigFile => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "OpsAgent", "collector.json")
        : "/etc/opsagent/collector.json";

    public static string DefaultDataDirectory => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "OpsAgent", "collector")
        : "/var/lib/opsagent-collector";
}
