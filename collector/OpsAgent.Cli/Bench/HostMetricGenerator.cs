using System.Globalization;

namespace OpsAgent.Cli.Bench;

/// <summary>
/// Series and values shaped like what the agent collects from a Linux host (names after OpenTelemetry's system.*
/// conventions, values as the agent rounds them), deterministic per seed, so that the store's compression sees what
/// it sees in production: many ratios with 4 decimals, growing byte counters, idle counters, integer and 2-decimal
/// gauges and constants.
/// </summary>
internal sealed class HostMetricGenerator
{
    // Out of 20 series: 6 utilisations, 4 busy counters, 4 idle counters, 3 integer gauges, 1 decimal gauge, 2 constants.
    private static readonly HostMetricKind[] Mix =
    [
        HostMetricKind.Utilization, HostMetricKind.BusyCounter, HostMetricKind.IdleCounter, HostMetricKind.IntegerGauge,
        HostMetricKind.Utilization, HostMetricKind.BusyCounter, HostMetricKind.IdleCounter, HostMetricKind.Constant,
        HostMetricKind.Utilization, HostMetricKind.BusyCounter, HostMetricKind.IdleCounter, HostMetricKind.IntegerGauge,
        HostMetricKind.Utilization, HostMetricKind.BusyCounter, HostMetricKind.IdleCounter, HostMetricKind.DecimalGauge,
        HostMetricKind.Utilization, HostMetricKind.Utilization, HostMetricKind.IntegerGauge, HostMetricKind.Constant,
    ];

    private readonly Random _random;

    public HostMetricGenerator(int seriesCount, int seed)
    {
        _random = new Random(seed);
        var series = new HostMetricSeries[seriesCount];
        for (int i = 0; i < seriesCount; i++)
        {
            series[i] = Create(Mix[i % Mix.Length], i);
        }

        Series = series;
    }

    public IReadOnlyList<HostMetricSeries> Series { get; }

    /// <summary>Moves every series one sample forward and returns its new value.</summary>
    public double Next(HostMetricSeries series)
    {
        switch (series.Kind)
        {
            case HostMetricKind.Utilization:
                series.Level = Math.Round(Math.Clamp(series.Level + ((_random.NextDouble() - 0.5) * 0.02), 0, 1), 4);
                break;
            case HostMetricKind.BusyCounter:
                series.Level += _random.Next(0, 20_000);
                break;
            case HostMetricKind.IdleCounter:
                series.Level += _random.Next(200) == 0 ? 1 : 0;
                break;
            case HostMetricKind.IntegerGauge:
                series.Level += _random.Next(10) == 0 ? _random.Next(-64, 64) * 4096 : 0;
                break;
            case HostMetricKind.DecimalGauge:
                series.Level = Math.Round(Math.Clamp(series.Level + ((_random.NextDouble() - 0.5) * 0.05), 0, 8), 2);
                break;
        }

        return series.Level;
    }

    private HostMetricSeries Create(HostMetricKind kind, int index)
    {
        string n = index.ToString(CultureInfo.InvariantCulture);
        return kind switch
        {
            HostMetricKind.Utilization => new(kind, "system.cpu.utilization", "1", [("cpu", n), ("state", "user")], Math.Round(_random.NextDouble(), 4)),
            HostMetricKind.BusyCounter => new(kind, "system.network.io", "By", [("device", "eth" + n), ("direction", "transmit")], _random.Next(1_000_000, 1_000_000_000)),
            HostMetricKind.IdleCounter => new(kind, "system.network.errors", "{error}", [("device", "eth" + n), ("direction", "receive")], _random.Next(0, 100)),
            HostMetricKind.IntegerGauge => new(kind, "system.memory.usage", "By", [("state", "used"), ("slot", n)], _random.Next(1_000, 4_000_000) * 4096.0),
            HostMetricKind.DecimalGauge => new(kind, "system.cpu.load_average.1m", "{thread}", [("slot", n)], Math.Round(_random.NextDouble() * 4, 2)),
            _ => new(kind, "system.filesystem.limit", "By", [("mountpoint", "/mnt/" + n)], 536_870_912_000),
        };
    }
}
