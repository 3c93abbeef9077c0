namespace OpsAgent.Agent.Uplink;

/// <summary>The collector broke the stream protocol (no Welcome, wrong first message); the uplink reconnects.</summary>
internal sealed class UplinkProtocolException(string message) : Exception(message);
