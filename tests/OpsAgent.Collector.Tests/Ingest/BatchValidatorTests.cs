using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpsAgent.Collector.Ingest;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Ingest;

public sealed class BatchValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();

    private static BatchValidator Create(IngestOptions? options = null) =>
        new(Options.Create(options ?? new IngestOptions()), new FakeTimeProvider(Now));

    private static MetricSeries Series(string name, params (string Key, string Value)[] labels)
    {
        var series = new MetricSeries { Name = name, Kind = MetricKind.Gauge, Unit = "1" };
        foreach ((string key, string value) in labels)
        {
            series.Labels.Add(new Label { Key = key, Value = value });
        }

        series.TimestampsUnixMs.Add(NowMs);
        series.Values.Add(1.5);
        return series;
    }

    [Fact]
    public void Validate_GoodBatch_KeepsEverything()
    {
        var batch = new TelemetryBatch { Metrics = { Series("system.cpu.utilization", ("state", "idle")), Series("system.cpu.load_average.1m") } };

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.False(outcome.RejectedWhole);
        Assert.Equal(2, outcome.AcceptedItems);
        Assert.Equal(0, outcome.RejectedItems);
        Assert.Equal(2, batch.Metrics.Count);
    }

    [Fact]
    public void Validate_OneMalformedName_DropsOnlyThatSeries()
    {
        var batch = new TelemetryBatch { Metrics = { Series("good.name"), Series("bad name{}"), Series("9starts.with.digit"), Series("also.good") } };

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.Equal(["good.name", "also.good"], batch.Metrics.Select(m => m.Name));
        Assert.Equal(2, outcome.RejectedItems);
        Assert.Equal(2, outcome.CountsByCode[RejectionCodes.BadName]);
        Assert.All(outcome.Reported, r => Assert.Equal(RejectionCodes.BadName, r.Code));
    }

    [Fact]
    public void Validate_TooManyLabels_RejectsSeriesWithLimitInMessage()
    {
        var labels = Enumerable.Range(0, 5).Select(i => ($"k{i}", "v")).ToArray();
        var batch = new TelemetryBatch { Metrics = { Series("m", labels), Series("ok") } };

        ValidationOutcome outcome = Create(new IngestOptions { MaxLabelsPerSeries = 4 }).Validate(batch);

        Rejection rejection = Assert.Single(outcome.Reported);
        Assert.Equal(RejectionCodes.LabelLimit, rejection.Code);
        Assert.Contains("Collector:Ingest:MaxLabelsPerSeries", rejection.Message, StringComparison.Ordinal);
        Assert.Equal(["ok"], batch.Metrics.Select(m => m.Name));
    }

    [Fact]
    public void Validate_OversizedBatch_RejectsWhole()
    {
        var batch = new TelemetryBatch();
        for (int i = 0; i < 200; i++)
        {
            batch.Metrics.Add(Series("m" + i, ("big", new string('x', 1000))));
        }

        ValidationOutcome outcome = Create(new IngestOptions { MaxBatchBytes = 64 * 1024 }).Validate(batch);

        Assert.True(outcome.RejectedWhole);
        Assert.Equal(RejectionCodes.BatchTooLarge, Assert.Single(outcome.Reported).Code);
    }

    [Fact]
    public void Validate_TooManySeries_RejectsWhole()
    {
        var batch = new TelemetryBatch { Metrics = { Series("a"), Series("b"), Series("c") } };

        ValidationOutcome outcome = Create(new IngestOptions { MaxSeriesPerBatch = 2 }).Validate(batch);

        Assert.True(outcome.RejectedWhole);
        Assert.Equal(RejectionCodes.TooManySeries, outcome.Reported[0].Code);
    }

    [Fact]
    public void Validate_ReservedOrDuplicateLabel_Rejected()
    {
        var batch = new TelemetryBatch
        {
            Metrics = { Series("a", ("host", "evil")), Series("b", ("x", "1"), ("x", "2")), Series("c", ("bad-key", "1")) },
        };

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.Empty(batch.Metrics);
        Assert.Equal(1, outcome.CountsByCode[RejectionCodes.ReservedLabel]);
        Assert.Equal(1, outcome.CountsByCode[RejectionCodes.DuplicateLabel]);
        Assert.Equal(1, outcome.CountsByCode[RejectionCodes.BadLabel]);
    }

    [Fact]
    public void Validate_UnsortedLabels_AreSortedNotRejected()
    {
        var batch = new TelemetryBatch { Metrics = { Series("a", ("z", "1"), ("b", "2"), ("m", "3")) } };

        Create().Validate(batch);

        Assert.Equal(["b", "m", "z"], batch.Metrics[0].Labels.Select(l => l.Key));
    }

    [Fact]
    public void Validate_MismatchedArrays_RejectsSeries()
    {
        MetricSeries series = Series("a");
        series.Values.Add(2);
        var batch = new TelemetryBatch { Metrics = { series } };

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.Equal(RejectionCodes.BadSamples, Assert.Single(outcome.Reported).Code);
    }

    [Fact]
    public void Validate_FutureAndOldSamples_DropsThoseSamplesKeepsTheRestInOrder()
    {
        var series = new MetricSeries { Name = "a" };
        series.TimestampsUnixMs.Add([NowMs, NowMs + (3600 * 1000), NowMs - 1000, NowMs - (30L * 24 * 3600 * 1000)]);
        series.Values.Add([1, 2, 3, 4]);
        var batch = new TelemetryBatch { Metrics = { series } };

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.Equal([NowMs - 1000, NowMs], series.TimestampsUnixMs);
        Assert.Equal([3.0, 1.0], series.Values);
        Assert.Equal(1, outcome.CountsByCode[RejectionCodes.FutureTimestamp]);
        Assert.Equal(1, outcome.CountsByCode[RejectionCodes.TooOld]);
    }

    [Fact]
    public void Validate_LogsBeforeLogSupport_RejectedAsUnsupportedNotSilentlyDropped()
    {
        var batch = new TelemetryBatch { Metrics = { Series("a") }, Logs = { new LogRecord { Body = "x" } } };

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.Equal(1, outcome.CountsByCode[RejectionCodes.Unsupported]);
        Assert.Empty(batch.Logs);
        Assert.Single(batch.Metrics);
    }

    [Fact]
    public void Validate_CommandResults_KeepsWellFormedOnesAndRejectsTheRestWithTheirProblem()
    {
        var batch = new TelemetryBatch
        {
            CommandResults =
            {
                new CommandResult { CommandId = "c1", Status = CommandStatus.Succeeded, Output = "ok" },
                new CommandResult { CommandId = "", Status = CommandStatus.Failed },
                new CommandResult { CommandId = "c2", Status = CommandStatus.Unspecified },
                new CommandResult { CommandId = "c3", Status = (CommandStatus)42 },
                new CommandResult { CommandId = new string('x', 129), Status = CommandStatus.Failed },
                new CommandResult { CommandId = "c4", Status = CommandStatus.Rejected, Reason = "policy" },
                new CommandResult { CommandId = "c4", Status = CommandStatus.Rejected, Reason = "again" },
            },
        };

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.Equal(["c1", "c4"], batch.CommandResults.Select(r => r.CommandId));
        Assert.Equal(5, outcome.CountsByCode[RejectionCodes.BadCommandResult]);
        Assert.Contains(outcome.Reported, r => r.Item == "c2" && r.Message.Contains("not a result status", StringComparison.Ordinal));
        Assert.Contains(outcome.Reported, r => r.Item == "c4" && r.Message.Contains("two results", StringComparison.Ordinal));
        Assert.False(outcome.RejectedWhole);
    }

    [Fact]
    public void Validate_TooManyCommandResults_RejectsThemButKeepsTheMetrics()
    {
        var batch = new TelemetryBatch { Metrics = { Series("system.cpu.load_average.1m") } };
        for (int i = 0; i < 1001; i++)
        {
            batch.CommandResults.Add(new CommandResult { CommandId = "c" + i, Status = CommandStatus.Succeeded });
        }

        ValidationOutcome outcome = Create().Validate(batch);

        Assert.Empty(batch.CommandResults);
        Assert.Single(batch.Metrics);
        Assert.Equal(1001, outcome.CountsByCode[RejectionCodes.BadCommandResult]);
    }
}
