namespace OpsAgent.Collector.Detection;

/// <summary>One anomaly as stored and as every reader (admin API, event subscribers, playbooks) sees it.</summary>
/// <param name="AnomalyId">The store's id (0 before it is stored).</param>
/// <param name="IncidentId">The incident it belongs to (0 before grouping).</param>
/// <param name="StartedUnixMs">When its evidence began (sample time).</param>
/// <param name="RaisedUnixMs">When it was raised (sample time; later than the start by up to MinDuration).</param>
/// <param name="LastAnomalousUnixMs">The last sample that still looked anomalous: the anomalous stretch is start..this.</param>
/// <param name="UpdatedUnixMs">Sample time of the last update from its detector.</param>
/// <param name="ResolvedUnixMs">When it ended (0 while open).</param>
/// <param name="PeakScore">Highest detector score while open (0–1).</param>
/// <param name="Value">The value (the rate, for a counter) when it was raised.</param>
/// <param name="UsualLow">Lowest usual level before it (NaN when not known).</param>
/// <param name="UsualHigh">Highest usual level before it (NaN when not known).</param>
/// <param name="Forecast">The latest forecast, for <see cref="AnomalyKind.Exhaustion"/> only.</param>
internal sealed record AnomalyRecord(
    long AnomalyId,
    long IncidentId,
    AnomalyKind Kind,
    AlertSeverity Severity,
    bool Open,
    SeriesIdentity Series,
    long StartedUnixMs,
    long RaisedUnixMs,
    long LastAnomalousUnixMs,
    long UpdatedUnixMs,
    long ResolvedUnixMs,
    Resolution Resolution,
    double PeakScore,
    double Value,
    double UsualLow,
    double UsualHigh,
    ForecastSnapshot? Forecast)
{
    /// <summary>One line for people: what, where, how far from usual.</summary>
    public string Summary => AnomalyDescription.Describe(this);
}
