namespace OpsAgent.Collector.Endpoints;

internal enum ListenerKind
{
    Unknown,
    Gateway,
    Admin,
    Metrics,
}
