using System.Text.Json;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Quickstart;

/// <summary>
/// Starts the collector, waits until it is listening, starts an agent pointed at it, tells the user what to try,
/// and on Ctrl-C stops the agent and then the collector, each cleanly.
/// </summary>
internal sealed class QuickstartRunner(string dataDirectory, int intervalSeconds, TextWriter output, TextWriter relay)
{
    public const string GatewayUrl = "http://127.0.0.1:7400";
    public const string AdminUrl = "http://127.0.0.1:7401";
    public const string MetricsUrl = "http://127.0.0.1:7402";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (intervalSeconds is < 1 or > 3600)
        {
            throw new CliException(ExitCodes.Usage, $"--interval must be between 1 and 3600 seconds; got {intervalSeconds}.");
        }

        string collectorDll = FindSibling("OpsAgent.Collector", "OpsAgent.Collector.dll");
        string agentDll = FindSibling("OpsAgent.Agent", "OpsAgent.Agent.dll");
        string collectorData = Path.Combine(dataDirectory, "collector");
        string agentState = Path.Combine(dataDirectory, "agent");
        Directory.CreateDirectory(collectorData);
        Directory.CreateDirectory(agentState);

        // Explicit, empty config files: an /etc/opsagent/*.json installed on this machine must not leak into the quickstart.
        string collectorConfig = WriteIfMissing(Path.Combine(dataDirectory, "collector.json"), "{}");
        string agentConfig = WriteIfMissing(Path.Combine(dataDirectory, "agent.json"), "{}");
        string endpointsFile = Path.Combine(collectorData, "endpoints.json");
        File.Delete(endpointsFile);

        using ChildProcess collector = ChildProcess.Start("collector", collectorDll,
        [
            "--config", collectorConfig,
            "--data-dir", collectorData,
            "--gateway", GatewayUrl,
            "--admin", AdminUrl,
            "--metrics", MetricsUrl,
        ], relay);

        if (!await WaitForFileAsync(endpointsFile, collector, cancellationToken).ConfigureAwait(false))
        {
            await collector.StopAsync(StopGrace).ConfigureAwait(false);
            return cancellationToken.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Failed;
        }

        using ChildProcess agent = ChildProcess.Start("agent", agentDll,
        [
            "--config", agentConfig,
            "--collector", GatewayUrl,
            "--state-dir", agentState,
            "--interval", intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], relay);

        PrintNextSteps(collectorData);

        Task<int> firstExit = await Task.WhenAny(collector.Exited, agent.Exited, WaitForCancellation(cancellationToken)).ConfigureAwait(false);
        bool interrupted = cancellationToken.IsCancellationRequested;
        if (!interrupted)
        {
            string which = firstExit == collector.Exited ? "collector" : "agent";
            await relay.WriteLineAsync($"opsctl: the {which} exited unexpectedly with code {await firstExit.ConfigureAwait(false)}; stopping the quickstart. Its last output is above.").ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync("Stopping the agent and the collector...").ConfigureAwait(false);
        }

        await agent.StopAsync(StopGrace).ConfigureAwait(false);
        await collector.StopAsync(StopGrace).ConfigureAwait(false);
        if (interrupted)
        {
            await output.WriteLineAsync($"Stopped. The data stays in {dataDirectory}; run the quickstart again to continue with it.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        return ExitCodes.Failed;
    }

    private void PrintNextSteps(string collectorData)
    {
        string opsctl = OpsctlInvocation();
        output.WriteLine();
        output.WriteLine("OpsAgent quickstart is running on this machine (loopback only):");
        output.WriteLine($"  collector  agent gateway {GatewayUrl}, admin API {AdminUrl}, Prometheus metrics {MetricsUrl}/metrics");
        output.WriteLine($"             store in {collectorData}");
        output.WriteLine($"  agent      reporting host metrics every {intervalSeconds} s");
        output.WriteLine();
        output.WriteLine("Try, in another terminal:");
        output.WriteLine($"  alias opsctl='{opsctl}'");
        output.WriteLine("  opsctl agents");
        output.WriteLine("  opsctl metrics list system.");
        output.WriteLine("  opsctl metrics query system.cpu.utilization --since 5m");
        output.WriteLine();
        output.WriteLine("Press Ctrl-C to stop both.");
        output.WriteLine();
        output.Flush();
    }

    private static string OpsctlInvocation()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "opsctl.dll");
        string? processPath = Environment.ProcessPath;
        return processPath is not null && !Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? processPath
            : $"dotnet {dll}";
    }

    private async Task<bool> WaitForFileAsync(string path, ChildProcess collector, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (!File.Exists(path))
        {
            if (collector.Exited.IsCompleted)
            {
                await relay.WriteLineAsync($"opsctl: the collector exited with code {await collector.Exited.ConfigureAwait(false)} before it was ready; its output is above.").ConfigureAwait(false);
                return false;
            }

            try
            {
                await Task.Delay(100, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    await relay.WriteLineAsync($"opsctl: the collector did not start listening within {StartTimeout.TotalSeconds:0} s; its output is above.").ConfigureAwait(false);
                }

                return false;
            }
        }

        return JsonDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).RootElement.TryGetProperty("admin", out _);
    }

    private static Task<int> WaitForCancellation(CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => tcs.TrySetResult(0));
        return tcs.Task;
    }

    private static string FindSibling(string project, string file)
    {
        // Built side by side: artifacts/bin/<project>/<configuration>/ (see Directory.Build.props, UseArtifactsOutput).
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, configuration, file));
        return File.Exists(path)
            ? path
            : throw new CliException(ExitCodes.Failed, $"{path} was not found. Build the whole solution first: dotnet build OpsAgent.sln");
    }

    private static string WriteIfMissing(string path, string content)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, content);
        }

        return path;
    }
}
