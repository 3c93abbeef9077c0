using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Infrastructure;

/// <summary>Sample agents and series, as a collector would report them, relative to <see cref="CliRunner.Now"/>.</summary>
internal static class Fleet
{
    public static AgentInfo Web1() => new()
    {
        AgentId = "a-7f3c",
        Hostname = "web-1",
        AgentVersion = "0.1.0",
        Labels = { ["env"] = "prod", ["role"] = "web" },
        Connected = true,
        ConnectedSinceUnixMs = CliRunner.Ago(new TimeSpan(3, 12, 0)),
        LastSeenUnixMs = CliRunner.Ago(TimeSpan.FromSeconds(12)),
        FirstSeenUnixMs = CliRunner.Ago(TimeSpan.FromDays(9)),
        RemoteAddress = "127.0.0.1:51234",
        BatchesStored = 1200,
        SamplesStored = 456000,
        LastSequence = 1200,
        Capabilities = { "metrics", "logs" },
        Host = new HostFacts
        {
            Os = "linux",
            OsVersion = "Debian GNU/Linux 12 (bookworm)",
            Kernel = "6.1.0-18-amd64",
            Arch = "x64",
            CpuCount = 8,
            MemoryBytes = 16UL * 1024 * 1024 * 1024,
            BootTimeUnixMs = CliRunner.Ago(TimeSpan.FromDays(3) + TimeSpan.FromHours(4)),
            MachineId = "4f1c9e0d2b7a",
        },
    };

    public static AgentInfo Db1() => new()
    {
        AgentId = "a-19be",
        Hostname = "db-1",
        AgentVersion = "0.0.9",
        Connected = false,
        LastSeenUnixMs = CliRunner.Ago(TimeSpan.FromDays(2) + TimeSpan.FromHours(3)),
        FirstSeenUnixMs = CliRunner.Ago(TimeSpan.FromDays(30)),
    };

    public static SeriesInfo Series(string name, string host, string unit, params (string Key, string Value)[] labels)
    {
        var agentId = host == "web-1" ? "a-7f3c" : "a-19be";
        var all = labels.Append(("host", host)).Append(("agent_id", agentId)).OrderBy(l => l.Item1, StringComparer.Ordinal);
        var series = new SeriesInfo
        {
            Name = name,
            Hostname = host,
            AgentId = agentId,
            Unit = unit,
            Kind = MetricKind.Gauge,
            FirstSampleUnixMs = CliRunner.Ago(TimeSpan.FromDays(1)),
            LastSampleUnixMs = CliRunner.Ago(TimeSpan.FromSeconds(5)),
        };
        series.Labels.AddRange(all.Select(l => new Label { Key = l.Item1, Value = l.Item2 }));
        return series;
    }
}
