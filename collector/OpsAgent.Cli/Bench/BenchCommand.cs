using System.CommandLine;
using System.Globalization;
using OpsAgent.Cli.Invocation;
using OpsAgent.Cli.Output;
using OpsAgent.Cli.Parsing;

namespace OpsAgent.Cli.Bench;

/// <summary>
/// `opsctl bench ingest --agents N --series M --interval 1s --duration 60s`: simulated agents against a running
/// collector, reporting accepted samples/s, ack latency and the collector's memory, CPU and bytes per stored sample.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliHost host)
    {
        var bench = new Command("bench", "Measure a running collector with simulated load.");
        bench.Subcommands.Add(CreateIngest(host));
        return bench;
    }

    private static Command CreateIngest(CliHost host)
    {
        var agents = IntOption("--agents", "Simulated agents, each on its own connection", 10, 1, 10_000);
        var series = IntOption("--series", "Series per agent (a Linux host has about 460)", 460, 1, 100_000);
        var interval = DurationOption("--interval", "Time between two samples of a series", TimeSpan.FromSeconds(1));
        var duration = DurationOption("--duration", "How long the agents send", TimeSpan.FromSeconds(60));
        var batch = IntOption("--batch-samples", "Samples of each series per batch (1: a batch per interval, as the agent sends)", 1, 1, 10_000);
        var inFlight = IntOption("--in-flight", "Unacknowledged batches per agent before it waits (the agent's default)", 32, 1, 4096);
        var pace = new Option<string>("--pace")
        {
            Description = "realtime: like real agents, a batch per interval; max: as fast as the collector acknowledges, with sample times from 6 days ago",
            DefaultValueFactory = _ => "realtime",
        };
        pace.AcceptOnlyFromAmong("realtime", "max");
        var gateway = UrlOption("--gateway", "The collector's agent gateway (default: from the collector's endpoints.json when it runs here, else port 7400 on the admin host)");
        var metrics = UrlOption("--metrics", "The collector's /metrics endpoint for its memory and CPU (default: as for --gateway, port 7402)");
        var prefix = new Option<string?>("--agent-prefix") { Description = "Prefix of the simulated agents' ids (default: bench-TIMESTAMP, new every run)" };

        var ingest = new Command("ingest", "Simulate agents streaming host metrics to a running collector and report what it sustains.")
        {
            agents, series, interval, duration, batch, inFlight, pace, gateway, metrics, prefix,
        };
        host.SetAction(
            ingest,
            async context =>
            {
                var settings = new IngestBenchSettings(
                    context.GetValue(agents),
                    context.GetValue(series),
                    context.GetValue(interval),
                    context.GetValue(duration),
                    context.GetValue(batch),
                    context.GetValue(pace) == "max" ? BenchPace.Max : BenchPace.Realtime,
                    context.GetValue(inFlight),
                    context.GetValue(prefix) ?? "bench-" + context.Time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture));
                if (settings.Interval.TotalMilliseconds % 1 != 0)
                {
                    throw CliException.Usage($"--interval must be a whole number of milliseconds; got {DurationParser.Format(settings.Interval)}.");
                }

                IngestReport report = await IngestBenchmark.RunAsync(context, settings, context.GetValue(gateway), context.GetValue(metrics));
                if (context.Output.Format == OutputFormat.Json)
                {
                    context.Output.WriteJson(report, BenchJsonContext.Default.IngestReport);
                }
                else
                {
                    foreach (string line in IngestReportView.Lines(report))
                    {
                        context.Output.WriteLine(line);
                    }
                }

                return report.Throughput.BatchesStored > 0 ? ExitCodes.Ok : ExitCodes.Failed;
            },
            TimeoutPolicy.None);
        return ingest;
    }

    private static Option<int> IntOption(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = $"{description} (default {defaultValue})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} '{text}' must be a whole number from {min} to {max}.");
            return defaultValue;
        },
    };

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description} (default {DurationParser.Format(defaultValue)})",
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (!DurationParser.TryParse(name, text, out TimeSpan value, out string? error))
            {
                result.AddError(error);
                return defaultValue;
            }

            if (value < TimeSpan.FromMilliseconds(10) || value > TimeSpan.FromDays(1))
            {
                result.AddError($"{name} '{text}' must be between 10ms and 1d.");
            }

            return value;
        },
    };

    private static Option<Uri?> UrlOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "URL",
        CustomParser = result =>
        {
            string? text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                return url;
            }

            result.AddError($"{name} '{text}' is not an http:// or https:// URL, e.g. http://127.0.0.1:7400.");
            return null;
        },
    };
}
