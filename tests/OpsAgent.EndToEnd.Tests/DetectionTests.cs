using System.Text.Json;
using OpsAgent.EndToEnd.Tests.Infrastructure;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>
/// A fault in an agent's data becomes an anomaly and an incident that opsctl shows (and opsctl watch streams), the
/// incident resolves after the fault ends, and the detectors' state survives a collector restart.
/// </summary>
public sealed class DetectionTests : IDisposable
{
    private const string Host = "e2e-detect";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SyntheticFault_BecomesAnIncidentInOpsctlAndResolvesAfterTheFaultEnds()
    {
        // Short alert timings so that the whole story fits in a test; everything else is the production default.
        await using CollectorProcess collector = await CollectorProcess.StartAsync(_dir.Sub("collector"), fixedPorts: true, extraArgs:
        [
            "--Collector:Detection:Alert:MinDuration=00:00:00",
            "--Collector:Detection:Alert:Hold=00:00:10",
            "--Collector:Detection:Alert:ClearAfter=00:00:05",
            "--Collector:Detection:IncidentMergeGap=00:00:02",
        ]);
        var opsctl = new Dictionary<string, string> { ["OPSAGENT_COLLECTOR"] = collector.AdminUrl };
        await using ManagedProcess watch = ManagedProcess.Start("opsctl watch", Binaries.Opsctl, ["watch", "-o", "json"], opsctl);
        await watch.WaitForOutputAsync("watching anomalies and incidents", TimeSpan.FromSeconds(60));

        // Thirty minutes of history (three periods of the synthetic wave, 1800 samples: past the detectors' learning
        // samples) arrive at once; series 2 then jumps by 1000 for 15 seconds.
        DateTimeOffset faultStart = DateTimeOffset.UtcNow.AddSeconds(15);
        string[] agentArgs =
        [
            "--hostname", Host,
            "--Agent:Labels:env=e2e",
            "--Agent:Metrics:Host:Enabled=false",
            "--Agent:Metrics:Synthetic:Series=3",
            "--Agent:Metrics:Synthetic:Backfill=00:30:00",
            "--Agent:Metrics:Synthetic:Faults:0:Kind=LevelShift",
            "--Agent:Metrics:Synthetic:Faults:0:Start=" + faultStart.ToString("O"),
            "--Agent:Metrics:Synthetic:Faults:0:Duration=00:00:15",
            "--Agent:Metrics:Synthetic:Faults:0:Magnitude=1000",
            "--Agent:Metrics:Synthetic:Faults:0:SeriesIndexes:0=2",
        ];
        ManagedProcess agent = AgentProcess.Start(collector.GatewayUrl, _dir.Sub("agent"), Host, agentArgs);
        string Diagnostics() => collector.Process + "\n" + agent + "\n" + watch;

        try
        {
            // The fault becomes an anomaly in an incident, which resolves after the fault ends, as opsctl shows them.
            object found = await Eventually.GetAsync<object>(
                async () => FaultAnomaly(await OpsctlJsonAsync(opsctl, "anomalies", "--host", Host, "--metric", "synthetic.signal")),
                Bound,
                "the fault to become an anomaly",
                Diagnostics);
            var anomaly = (JsonElement)found;
            DateTimeOffset started = Time(anomaly, "started")!.Value;
            Assert.InRange(started, faultStart.AddSeconds(-1), faultStart.AddSeconds(3));
            Assert.Equal("critical", anomaly.GetProperty("severity").GetString());
            ulong incidentId = anomaly.GetProperty("incidentId").GetUInt64();
            string id = incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

            found = await Eventually.GetAsync<object>(
                async () =>
                {
                    JsonElement i = await OpsctlJsonAsync(opsctl, "incidents", "show", id);
                    return i.GetProperty("state").GetString() == "resolved" ? i : null;
                },
                Bound,
                $"incident {id} to resolve after the fault ends",
                Diagnostics);
            var incident = (JsonElement)found;
            Assert.Equal("recovered", incident.GetProperty("resolution").GetString());
            Assert.Equal("critical", incident.GetProperty("severity").GetString());
            Assert.Equal("e2e", incident.GetProperty("hostLabels").GetProperty("env").GetString());
            Assert.True(Time(incident, "resolved") >= faultStart.AddSeconds(15), "resolved only after the fault ended");
            JsonElement stored = incident.GetProperty("anomalies").EnumerateArray().Single(a => a.GetProperty("id").GetUInt64() == anomaly.GetProperty("id").GetUInt64());
            Assert.Equal("recovered", stored.GetProperty("resolution").GetString());
            Assert.True(Time(stored, "lastAnomalous") < faultStart.AddSeconds(20), "the anomalous stretch ends with the fault");

            OpsctlResult show = await Opsctl.RunAsync(opsctl, "incidents", "show", id);
            Assert.Equal(0, show.ExitCode);
            Assert.Contains("synthetic.signal{series=2} on " + Host, show.StandardOutput, StringComparison.Ordinal);

            // The anomalous samples are marked in a metrics query.
            JsonElement query = await OpsctlJsonAsync(opsctl, "metrics", "query", "synthetic.signal", "--label", "series=2", "--since", "5m", "--step", "raw");
            JsonElement[] points = [.. query.GetProperty("series")[0].GetProperty("points").EnumerateArray()];
            Assert.All(points.Where(p => p.GetProperty("value").GetDouble() > 900), p => Assert.True(p.GetProperty("anomalous").GetBoolean()));
            // The stretch may end a sample or two after the fault: the level is a median of the last three samples.
            Assert.InRange(points.Count(p => p.GetProperty("anomalous").GetBoolean() && p.GetProperty("value").GetDouble() < 900), 0, 3);

            // opsctl watch streamed the incident opening and resolving, as JSON lines.
            await Eventually.TrueAsync(
                () => Task.FromResult(WatchedTypes(watch, incidentId).Contains("incident_resolved")),
                TimeSpan.FromSeconds(30),
                "opsctl watch to show the incident resolved",
                Diagnostics);
            Assert.Equal(1, WatchedTypes(watch, incidentId).Count(t => t == "incident_opened"));

            // A clean restart saves every detector and reloads it when the series' samples come again. The agent stops
            // first: the gateway does not yet end agent streams when the collector stops, so a collector stopped under a
            // connected agent waits out the host's shutdown timeout.
            Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(30)));
            await agent.DisposeAsync();
            Assert.Equal(0, await collector.StopAsync());
            Assert.Contains("Detection stopped after saving every detector", collector.Process!.Output, StringComparison.Ordinal);
            await collector.StartProcessAsync();
            agent = AgentProcess.Start(collector.GatewayUrl, _dir.Sub("agent"), Host, agentArgs);
            await Eventually.TrueAsync(
                async () => MetricValue(await collector.GetMetricsTextAsync(), "opsagent_detection_state_restores_total{outcome=\"restored\"}") >= 3,
                Bound,
                "the three detectors to be restored from the store after the restart",
                Diagnostics);
            string metrics = await collector.GetMetricsTextAsync();
            Assert.Equal(0, MetricValue(metrics, "opsagent_detection_state_restores_total{outcome=\"failed\"}"));
            Assert.True(MetricValue(metrics, "opsagent_detection_samples_scored_total") > 0);
        }
        finally
        {
            await agent.DisposeAsync();
        }
    }

    private static async Task<JsonElement> OpsctlJsonAsync(Dictionary<string, string> environment, params string[] args)
    {
        OpsctlResult result = await Opsctl.RunAsync(environment, [.. args, "-o", "json"]);
        Assert.True(result.ExitCode == 0, $"opsctl {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>The anomaly of series 2 raised by the fault (value near 1000), or null.</summary>
    private static object? FaultAnomaly(JsonElement anomalies)
    {
        foreach (JsonElement a in anomalies.GetProperty("anomalies").EnumerateArray())
        {
            if (a.GetProperty("labels").GetProperty("series").GetString() == "2"
                && a.GetProperty("value").ValueKind == JsonValueKind.Number && a.GetProperty("value").GetDouble() > 900
                && a.GetProperty("incidentId").GetUInt64() != 0)
            {
                return a;
            }
        }

        return null;
    }

    private static DateTimeOffset? Time(JsonElement element, string property) =>
        element.GetProperty(property).GetString() is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static List<string> WatchedTypes(ManagedProcess watch, ulong incidentId)
    {
        var types = new List<string>();
        foreach (string line in watch.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            JsonElement incident = document.RootElement.GetProperty("incident");
            if (incident.ValueKind == JsonValueKind.Object && incident.GetProperty("id").GetUInt64() == incidentId)
            {
                types.Add(document.RootElement.GetProperty("type").GetString()!);
            }
        }

        return types;
    }

    private static double MetricValue(string metrics, string sample)
    {
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(sample.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
