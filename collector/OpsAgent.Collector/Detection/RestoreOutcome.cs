namespace OpsAgent.Collector.Detection;

/// <summary>How a series' detector came into memory.</summary>
internal enum RestoreOutcome
{
    /// <summary>From its saved state: it continues where it stopped.</summary>
    Restored,

    /// <summary>Nothing was saved: a new series, or one whose state was never checkpointed.</summary>
    Fresh,

    /// <summary>The saved state was unusable (damaged, another version, the series is treated differently): it relearns.</summary>
    Failed,
}
