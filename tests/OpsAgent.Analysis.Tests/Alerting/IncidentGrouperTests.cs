using OpsAgent.Analysis.Alerting;

namespace OpsAgent.Analysis.Tests.Alerting;

public sealed class IncidentGrouperTests
{
    private const long Minute = 60_000;

    [Fact]
    public void AnomalyRaised_OverlappingAnomalies_FormOneIncident()
    {
        var grouper = new IncidentGrouper(TimeSpan.FromMinutes(5));

        var first = grouper.AnomalyRaised("cpu", 0);
        var second = grouper.AnomalyRaised("memory", 2 * Minute);

        Assert.Equal([new IncidentEvent(IncidentEventKind.Opened, 1, "cpu", 0)], first);
        Assert.Equal([new IncidentEvent(IncidentEventKind.AnomalyJoined, 1, "memory", 2 * Minute)], second);
    }

    [Fact]
    public void AnomalyCleared_LastOneClearsAndGapPasses_ClosesOnce()
    {
        var grouper = new IncidentGrouper(TimeSpan.FromMinutes(5));
        grouper.AnomalyRaised("cpu", 0);
        grouper.AnomalyRaised("memory", Minute);

        Assert.Null(grouper.AnomalyCleared("cpu", 3 * Minute));
        Assert.Null(grouper.AnomalyCleared("memory", 4 * Minute));
        Assert.Null(grouper.Advance(8 * Minute));
        Assert.Equal(new IncidentEvent(IncidentEventKind.Closed, 1, "memory", 9 * Minute), grouper.Advance(9 * Minute));
        Assert.Null(grouper.Advance(20 * Minute));
        Assert.Null(grouper.OpenIncident);
    }

    [Fact]
    public void AnomalyRaised_FlapBackWithinGap_RejoinsSameIncident()
    {
        var grouper = new IncidentGrouper(TimeSpan.FromMinutes(5));
        grouper.AnomalyRaised("disk", 0);
        grouper.AnomalyCleared("disk", Minute);

        var again = grouper.AnomalyRaised("disk", 3 * Minute);

        Assert.Equal(IncidentEventKind.AnomalyJoined, Assert.Single(again).Kind);
        Assert.Equal(1L, grouper.OpenIncident);
    }

    [Fact]
    public void AnomalyRaised_AfterGapExpired_ClosesOldAndOpensNewIncident()
    {
        var grouper = new IncidentGrouper(TimeSpan.FromMinutes(5));
        grouper.AnomalyRaised("disk", 0);
        grouper.AnomalyCleared("disk", Minute);

        var events = grouper.AnomalyRaised("cpu", 30 * Minute);

        Assert.Equal(
            [new IncidentEvent(IncidentEventKind.Closed, 1, "disk", 30 * Minute), new IncidentEvent(IncidentEventKind.Opened, 2, "cpu", 30 * Minute)],
            events);
    }

    [Fact]
    public void AnomalyCleared_UnknownSeries_IsIgnored()
    {
        var grouper = new IncidentGrouper(TimeSpan.Zero);

        Assert.Null(grouper.AnomalyCleared("never-raised", 0));
    }
}
