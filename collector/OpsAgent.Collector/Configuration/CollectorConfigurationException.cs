namespace OpsAgent.Collector.Configuration;

/// <summary>The collector cannot start because of its configuration; the message says what to fix.</summary>
internal sealed class CollectorConfigurationException(string message) : Exception(message);
