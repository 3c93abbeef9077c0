namespace OpsAgent.Collector.Detection;

/// <summary>Why an anomaly or incident ended. Stored as its number: never renumber.</summary>
internal enum Resolution
{
    /// <summary>Still open.</summary>
    None = 0,

    /// <summary>The signal came back: scores stayed calm and the level returned to the band usual before the anomaly.</summary>
    Recovered = 1,

    /// <summary>Scores stayed calm for SettleAfter but the level did not come back: the new level is accepted as normal.</summary>
    Settled = 2,

    /// <summary>The series stopped sending samples for StaleAfter.</summary>
    NoData = 3,

    /// <summary>Resolved on request (an operator or a playbook), whatever the signal does.</summary>
    Manual = 4,
}
