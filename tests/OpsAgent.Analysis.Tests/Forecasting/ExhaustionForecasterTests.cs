using OpsAgent.Analysis.Forecasting;

namespace OpsAgent.Analysis.Tests.Forecasting;

public sealed class ExhaustionForecasterTests
{
    private const long Minute = 60_000;
    private const double Capacity = 100.0;

    private static readonly ForecastPolicy Policy = ForecastPolicy.Default with { Horizon = TimeSpan.FromHours(6) };

    /// <summary>Feeds one sample a minute; returns the minute of the first warning (or null) and all forecasts.</summary>
    private static (int? FirstWarning, List<ExhaustionForecast> Forecasts) Run(Func<int, double> usageAtMinute, int minutes)
    {
        var forecaster = new ExhaustionForecaster(Policy);
        var forecasts = new List<ExhaustionForecast>();
        int? first = null;
        for (int m = 0; m < minutes; m++)
        {
            var f = forecaster.Update(m * Minute, Math.Min(Capacity, usageAtMinute(m)), Capacity);
            forecasts.Add(f);
            if (f.Warning && first is null)
            {
                first = m;
            }
        }

        return (first, forecasts);
    }

    private static double Noise(int m, double amplitude) => amplitude * Math.Sin(m * 1.7) * Math.Cos(m * 0.31);

    [Fact]
    public void Update_SteadyFill_WarnsAboutHorizonAheadWithAnAccurateEstimate()
    {
        // 40% -> 100% at 5% an hour: full at minute 720 (12 h). With a 6 h horizon, warn around minute 360.
        var (first, forecasts) = Run(m => 40 + (5.0 * m / 60) + Noise(m, 0.3), 720);

        Assert.NotNull(first);
        Assert.InRange(first!.Value, 330, 400);
        var eta = forecasts[first.Value].TimeToExhaustion!.Value.TotalMinutes;
        Assert.InRange(eta, 0.85 * (720 - first.Value), 1.15 * (720 - first.Value));
        Assert.True(forecasts[first.Value].Confidence >= 0.95);
        Assert.True(forecasts[first.Value].EarliestExhaustion <= forecasts[first.Value].TimeToExhaustion);
    }

    [Fact]
    public void Update_FlatUsage_NeverWarns()
    {
        var (first, _) = Run(m => 70 + Noise(m, 1.0), 24 * 60);

        Assert.Null(first);
    }

    [Fact]
    public void Update_BurstyFill_WarnsBeforeFull()
    {
        // Flat, with a 4% burst every hour (a batch job writing files): 20% -> 100% in 20 hours.
        var (first, _) = Run(m => 20 + (4.0 * (m / 60)) + Noise(m, 0.2), 20 * 60);

        Assert.NotNull(first);
        Assert.True(first < (20 * 60) - 120, $"warned at minute {first}, less than 2 h before full");
    }

    [Fact]
    public void Update_DeletionResetsTheTrend_NoWarningRightAfterCleanup()
    {
        // Fills at 10%/h from 30% to 90% in 6 h (warning expected), then a cleanup drops usage to 20% and it stays flat.
        var (first, forecasts) = Run(m => m < 360 ? 30 + (10.0 * m / 60) : 20 + Noise(m, 0.2), 12 * 60);

        Assert.NotNull(first);
        Assert.True(first < 360);
        Assert.All(forecasts.Skip(361), f => Assert.False(f.Warning));
    }

    [Fact]
    public void Update_SlowLeakFarBeyondHorizon_DoesNotWarn()
    {
        // 0.5%/h from 50%: full in 100 h, far beyond the 6 h horizon.
        var (first, forecasts) = Run(m => 50 + (0.5 * m / 60) + Noise(m, 0.1), 12 * 60);

        Assert.Null(first);
        Assert.InRange(forecasts[^1].TimeToExhaustion!.Value.TotalHours, 70, 115);
    }

    [Fact]
    public void Constructor_InvalidPolicy_NamesTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ExhaustionForecaster(Policy with { MinConfidence = 1.5 }));

        Assert.Contains("MinConfidence", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]  // fitting, before MinHistory
    [InlineData(400)] // warning
    public void Restore_Checkpoint_GivesTheSameForecasts(int at)
    {
        var original = new ExhaustionForecaster(Policy);
        for (int m = 0; m < at; m++)
        {
            original.Update(m * Minute, 40 + (5.0 * m / 60) + Noise(m, 0.3), Capacity);
        }

        var restored = ExhaustionForecaster.Restore(Policy, original.Checkpoint());

        for (int m = at; m < 700; m++)
        {
            double usage = m == 500 ? 20 : 40 + (5.0 * m / 60) + Noise(m, 0.3); // and a cleanup on the way
            Assert.Equal(original.Update(m * Minute, usage, Capacity), restored.Update(m * Minute, usage, Capacity));
        }

        Assert.Equal(original.Checkpoint(), restored.Checkpoint());
    }

    [Fact]
    public void Restore_Garbage_ThrowsInvalidData()
    {
        byte[] checkpoint = new ExhaustionForecaster(Policy).Checkpoint();

        Assert.Throws<InvalidDataException>(() => ExhaustionForecaster.Restore(Policy, [9, 9, 9, 9]));
        Assert.Throws<InvalidDataException>(() => ExhaustionForecaster.Restore(Policy, checkpoint.AsSpan(0, 10)));
    }
}
