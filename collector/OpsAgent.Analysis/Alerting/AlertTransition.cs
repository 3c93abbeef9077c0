namespace OpsAgent.Analysis.Alerting;

/// <summary>What one score did to a series' anomaly state.</summary>
public enum AlertTransition
{
    /// <summary>Nothing changed.</summary>
    None,

    /// <summary>An anomaly was raised on this sample.</summary>
    Raised,

    /// <summary>The anomaly cleared on this sample.</summary>
    Cleared,
}
