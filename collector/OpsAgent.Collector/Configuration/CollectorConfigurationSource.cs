namespace OpsAgent.Collector.Configuration;

/// <summary>Which configuration file the collector read, for messages that tell the admin where to fix a setting.</summary>
internal sealed record CollectorConfigurationSource(string ConfigFile);
