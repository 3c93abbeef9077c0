using OpsAgent.Analysis.Alerting;

namespace OpsAgent.Analysis.Tests.Alerting;

public sealed class AlertStateMachineTests
{
    private const long Minute = 60_000;

    private static readonly AlertPolicy Policy = new(
        RaiseThreshold: 0.5,
        ClearThreshold: 0.2,
        MinDuration: TimeSpan.FromMinutes(3),
        Hold: TimeSpan.FromMinutes(2),
        ClearAfter: TimeSpan.FromMinutes(5),
        ImmediateThreshold: 0.95);

    private static List<(long Minute, AlertTransition Transition)> Run(AlertStateMachine machine, params double[] scoresPerMinute)
    {
        var transitions = new List<(long, AlertTransition)>();
        for (int m = 0; m < scoresPerMinute.Length; m++)
        {
            var t = machine.Update(m * Minute, scoresPerMinute[m]);
            if (t != AlertTransition.None)
            {
                transitions.Add((m, t));
            }
        }

        return transitions;
    }

    [Fact]
    public void Update_SingleModerateBlip_NeverRaises()
    {
        var machine = new AlertStateMachine(Policy);

        Assert.Empty(Run(machine, 0, 0, 0.6, 0, 0, 0, 0, 0, 0, 0));
    }

    [Fact]
    public void Update_HighScoresLastingMinDuration_RaisesWhenTheDurationIsReached()
    {
        // High at minutes 2, 3, 5 (gaps within the 2-minute hold): evidence spans 2..5 = 3 minutes -> raised at 5.
        var machine = new AlertStateMachine(Policy);

        var transitions = Run(machine, 0, 0, 0.6, 0.7, 0.1, 0.8, 0.3, 0.3);

        Assert.Equal([(5L, AlertTransition.Raised)], transitions);
        Assert.Equal(2 * Minute, machine.StartedAtMs);
        Assert.Equal(0.8, machine.PeakScore);
    }

    [Fact]
    public void Update_HighScoresFartherApartThanHold_DoNotAddUp()
    {
        // Minute 2 and minute 6 are 4 minutes apart (> hold of 2): two separate blips, no anomaly.
        var machine = new AlertStateMachine(Policy);

        Assert.Empty(Run(machine, 0, 0, 0.6, 0, 0, 0, 0.6, 0, 0, 0));
    }

    [Fact]
    public void Update_VeryHighScore_RaisesAtOnce()
    {
        var machine = new AlertStateMachine(Policy);

        Assert.Equal([(1L, AlertTransition.Raised)], Run(machine, 0, 0.97, 0));
    }

    [Fact]
    public void Update_ScoresBetweenThresholds_KeepTheAnomalyOpen_Hysteresis()
    {
        // Raised at 1; scores 0.3 (above clear 0.2, below raise 0.5) keep it open until minute 4; below 0.2 from
        // minute 5 on, it clears 5 minutes after the last score above 0.2: at minute 4 + 5 = 9.
        var machine = new AlertStateMachine(Policy);

        var transitions = Run(machine, 0, 0.99, 0.3, 0.3, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);

        Assert.Equal([(1L, AlertTransition.Raised), (9L, AlertTransition.Cleared)], transitions);
        Assert.False(machine.IsActive);
    }

    [Fact]
    public void Constructor_InvalidPolicy_NamesTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AlertStateMachine(Policy with { ClearThreshold = 0.7 }));

        Assert.Contains("ClearThreshold", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)] // pending
    [InlineData(4)] // raised
    [InlineData(9)] // clearing
    public void Restore_Checkpoint_GivesTheSameTransitions(int at)
    {
        double[] scores = [0, 0.6, 0.7, 0.6, 0.8, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.6, 0.97, 0.1];
        var original = new AlertStateMachine(Policy);
        for (int m = 0; m < at; m++)
        {
            original.Update(m * Minute, scores[m]);
        }

        var restored = AlertStateMachine.Restore(Policy, original.Checkpoint());

        for (int m = at; m < scores.Length; m++)
        {
            Assert.Equal(original.Update(m * Minute, scores[m]), restored.Update(m * Minute, scores[m]));
            Assert.Equal((original.IsActive, original.IsPending, original.PeakScore), (restored.IsActive, restored.IsPending, restored.PeakScore));
        }

        Assert.Equal(original.Checkpoint(), restored.Checkpoint());
    }

    [Fact]
    public void Restore_Garbage_ThrowsInvalidData()
    {
        byte[] checkpoint = new AlertStateMachine(Policy).Checkpoint();

        Assert.Throws<InvalidDataException>(() => AlertStateMachine.Restore(Policy, [1, 2, 3, 4]));
        Assert.Throws<InvalidDataException>(() => AlertStateMachine.Restore(Policy, checkpoint.AsSpan(0, checkpoint.Length - 1)));
        Assert.Throws<InvalidDataException>(() => AlertStateMachine.Restore(Policy, [.. checkpoint, 0]));
    }
}
