using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;
using static OpsAgent.Collector.Tests.Storage.StoreHarness;

namespace OpsAgent.Collector.Tests.Storage;

/// <summary>
/// Randomised but deterministic: batches (some resent, some out of order) interleaved with paced checkpoint slices,
/// maintenance and unclean restarts at arbitrary points. Whatever the interleaving, every sample must be stored
/// exactly once.
/// </summary>
public sealed class SqliteTelemetryStoreRecoveryTests
{
    private static readonly long T0 = Start.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task AppendAsync_RandomRestartsCheckpointsAndResends_StoresEverySampleExactlyOnce(int seed)
    {
        var random = new Random(seed);
        await using var harness = new StoreHarness(o =>
        {
            o.MaxSamplesPerChunk = 16;
            o.CheckpointInterval = TimeSpan.FromSeconds(5);
            o.MaxBatchesPerCommit = 1 + random.Next(4);
        });
        await harness.OpenAsync();
        const int SeriesCount = 3;
        const int Batches = 120;
        var expected = new SortedDictionary<long, double>[SeriesCount];
        var batches = new List<TelemetryBatch>();
        for (int s = 0; s < SeriesCount; s++)
        {
            expected[s] = [];
        }

        for (int b = 0; b < Batches; b++)
        {
            var metrics = new List<MetricSeries>();
            for (int s = 0; s < SeriesCount; s++)
            {
                if (random.Next(4) == 0)
                {
                    continue; // not every series in every batch
                }

                int n = 1 + random.Next(3);
                long[] times = [.. Enumerable.Range(0, n).Select(i => T0 + (b * 10_000L) + (i * 1000L) + s)];
                double[] values = [.. times.Select(_ => Math.Round(random.NextDouble() * 100, random.Next(5)))];
                for (int i = 0; i < n; i++)
                {
                    expected[s][times[i]] = values[i];
                }

                metrics.Add(Series($"m{s}", times, values));
            }

            batches.Add(Batch((ulong)b + 1, [.. metrics]));
        }

        // Deliver in a shuffled-window order (out of order within 5 batches), resend some, restart at random.
        var order = Enumerable.Range(0, Batches).OrderBy(i => i + random.Next(5)).ToList();
        var inFlight = new List<Task>();
        foreach (int index in order)
        {
            inFlight.Add(harness.Store.AppendAsync("agent", batches[index], Deadline).AsTask());
            if (random.Next(6) == 0)
            {
                inFlight.Add(harness.Store.AppendAsync("agent", batches[random.Next(Batches)], Deadline).AsTask()); // a resend
            }

            switch (random.Next(12))
            {
                case 0:
                    harness.Time.Advance(TimeSpan.FromSeconds(random.Next(1, 4)));
                    await harness.Store.CheckpointSliceAsync(Deadline);
                    break;
                case 1:
                    await Task.WhenAll(inFlight).WaitAsync(Deadline);
                    await harness.ReopenAsync(clean: false);
                    break;
                case 2:
                    harness.Time.Advance(TimeSpan.FromSeconds(1));
                    await harness.Store.RunMaintenanceAsync(Deadline);
                    break;
            }
        }

        await Task.WhenAll(inFlight).WaitAsync(Deadline);
        await harness.ReopenAsync(clean: false);

        for (int s = 0; s < SeriesCount; s++)
        {
            SeriesSamples stored = Assert.Single(harness.Store.Query(Raw($"m{s}", T0, T0 + 10_000_000)).Series);
            Assert.Equal(expected[s].Keys, stored.TimestampsUnixMs);
            Assert.Equal(expected[s].Values, stored.Values);
        }

        await harness.ReopenAsync(clean: true);
        for (int s = 0; s < SeriesCount; s++)
        {
            Assert.Equal(expected[s].Count, Assert.Single(harness.Store.Query(Raw($"m{s}", T0, T0 + 10_000_000)).Series).Values.Length);
        }
    }
}
