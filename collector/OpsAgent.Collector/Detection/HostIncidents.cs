using OpsAgent.Analysis.Alerting;

namespace OpsAgent.Collector.Detection;

/// <summary>The incident tracker's state for one host (agent): its grouper and its open incident, if any.</summary>
internal sealed class HostIncidents(TimeSpan mergeGap)
{
    private readonly TimeSpan _mergeGap = mergeGap;

    public IncidentGrouper Grouper { get; private set; } = new(mergeGap);

    /// <summary>The open incident (null when none is open).</summary>
    public IncidentRecord? Incident { get; set; }

    /// <summary>The anomaly that opened <see cref="Incident"/>, which its title describes.</summary>
    public AnomalyRecord? First { get; set; }

    /// <summary>How the last anomaly of the host ended: the incident ends the same way.</summary>
    public Resolution LastResolution { get; set; } = Resolution.Recovered;

    /// <summary>Forgets the grouping (after a manual resolution closed everything).</summary>
    public void Reset()
    {
        Grouper = new IncidentGrouper(_mergeGap);
        Incident = null;
        First = null;
    }
}
