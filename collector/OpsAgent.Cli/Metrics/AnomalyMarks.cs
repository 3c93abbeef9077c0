using Grpc.Core;
using OpsAgent.Cli.Invocation;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Metrics;

/// <summary>
/// The anomalies of the queried series over the queried range, fetched with one ListAnomalies call after the query,
/// so that `opsctl metrics query` can mark anomalous points (a point is anomalous when its step overlaps an
/// anomaly's anomalous stretch, started..lastAnomalous).
/// </summary>
internal sealed class AnomalyMarks
{
    private const int MaxAnomalies = 5000;

    private readonly Dictionary<ulong, List<Anomaly>> _bySeries;

    private AnomalyMarks(Dictionary<ulong, List<Anomaly>> bySeries)
    {
        _bySeries = bySeries;
    }

    public static AnomalyMarks None { get; } = new([]);

    /// <summary>
    /// Asks the collector; a collector without detection (older, Unimplemented) gives no marks silently, any other
    /// failure gives none with a warning: marks must never cost the query itself.
    /// </summary>
    public static async Task<AnomalyMarks> FetchAsync(CommandContext context, IEnumerable<SeriesPoints> series, long startMs, long endMs)
    {
        var request = new ListAnomaliesRequest { SinceUnixMs = Math.Max(1, startMs), UntilUnixMs = Math.Max(1, endMs), Limit = MaxAnomalies };
        request.SeriesIds.AddRange(series.Select(s => s.Series?.SeriesId ?? 0).Where(id => id != 0).Distinct().Take(MaxAnomalies));
        if (request.SeriesIds.Count == 0)
        {
            return None;
        }

        try
        {
            var response = await context.Admin.ListAnomaliesAsync(request, cancellationToken: context.CancellationToken);
            return new AnomalyMarks(response.Anomalies.GroupBy(a => a.SeriesId).ToDictionary(g => g.Key, g => g.ToList()));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            return None;
        }
        catch (RpcException ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            context.Output.Warn($"could not fetch the anomalies of these series ({ex.Status.StatusCode}: {ex.Status.Detail}); points are shown unmarked.");
            return None;
        }
    }

    public IReadOnlyList<Anomaly> Of(SeriesInfo? series) =>
        series is not null && _bySeries.TryGetValue(series.SeriesId, out var list) ? list : [];

    /// <summary>Whether the point at <paramref name="unixMs"/> (a step of <paramref name="stepMs"/>, or a raw sample when 0) is anomalous.</summary>
    public static bool IsAnomalous(IReadOnlyList<Anomaly> anomalies, long unixMs, long stepMs)
    {
        foreach (var a in anomalies)
        {
            long from = a.StartedUnixMs;
            long to = Math.Max(a.LastAnomalousUnixMs, a.StartedUnixMs);
            if (stepMs > 0 ? unixMs <= to && unixMs + stepMs > from : unixMs >= from && unixMs <= to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One flag per grid cell (as <see cref="StepGrid.Cells"/> lays them out): true where the cell is anomalous.</summary>
    public static bool[] Cells(IReadOnlyList<Anomaly> anomalies, IReadOnlyList<long> timestamps, long startMs, long endMs, long stepMs)
    {
        if (stepMs <= 0)
        {
            return [.. timestamps.Select(t => IsAnomalous(anomalies, t, 0))];
        }

        var cells = new bool[(int)Math.Max(1, (endMs - startMs + stepMs - 1) / stepMs)];
        for (var k = 0; k < cells.Length && anomalies.Count > 0; k++)
        {
            cells[k] = IsAnomalous(anomalies, startMs + (k * stepMs), stepMs);
        }

        return cells;
    }
}
