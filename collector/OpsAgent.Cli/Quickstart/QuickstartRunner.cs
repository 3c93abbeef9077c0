using System.Globalization;
using System.Text.Json;
using OpsAgent.Cli.Connection;
using OpsAgent.Cli.Invocation;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Quickstart;

/// <summary>
/// Starts the collector on loopback the way a real deployment runs it (TLS, its own CA, an enrolment token for the
/// agent, mutual TLS, an admin API token), starts an agent that enrols with a fresh single-use token, tells the user
/// what to try (opsctl finds the collector, its CA and the admin token through the collector's admin.json), and on
/// Ctrl-C stops the agent and then the collector, each cleanly.
/// </summary>
internal sealed class QuickstartRunner(string dataDirectory, int intervalSeconds, int basePort, TextWriter output, TextWriter relay)
{
    public const int DefaultBasePort = 7400;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    private string GatewayUrl => $"https://127.0.0.1:{basePort}";

    private string AdminUrl => $"https://127.0.0.1:{basePort + 1}";

    private string MetricsUrl => $"http://127.0.0.1:{basePort + 2}";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (intervalSeconds is < 1 or > 3600)
        {
            throw new CliException(ExitCodes.Usage, $"--interval must be between 1 and 3600 seconds; got {intervalSeconds}.");
        }

        if (basePort is < 1 or > 65533)
        {
            throw new CliException(ExitCodes.Usage, $"--base-port must be between 1 and 65533; got {basePort}.");
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
        string adminFile = Path.Combine(collectorData, "admin.json");
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

        var agentEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        bool enrolled = File.Exists(Path.Combine(agentState, "identity", "agent.pem"));
        if (!enrolled)
        {
            // The agent's single-use token travels in its environment, not on a command line other users can read.
            agentEnvironment["OPSAGENT_Agent__Enrollment__Token"] = await CreateEnrollmentTokenAsync(adminFile, collector, cancellationToken).ConfigureAwait(false);
        }

        using ChildProcess agent = ChildProcess.Start("agent", agentDll,
        [
            "--config", agentConfig,
            "--collector", GatewayUrl,
            "--state-dir", agentState,
            "--interval", intervalSeconds.ToString(CultureInfo.InvariantCulture),
        ], relay, agentEnvironment);

        PrintNextSteps(collectorData, adminFile);

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

    /// <summary>Creates the agent's enrolment token through the admin API, as an admin would with `opsctl tokens create`.</summary>
    private async Task<string> CreateEnrollmentTokenAsync(string adminFile, ChildProcess collector, CancellationToken cancellationToken)
    {
        // Written when the listeners are up, with endpoints.json; give the collector a moment to finish both.
        for (int i = 0; i < 50 && !File.Exists(adminFile) && !collector.Exited.IsCompleted; i++)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(adminFile))
        {
            await collector.StopAsync(StopGrace).ConfigureAwait(false);
            throw CliException.Failed(
                $"{adminFile} is missing: the collector writes its first admin credential there only once. Delete {dataDirectory} to start the quickstart afresh.");
        }

        ConnectionSettings settings = ConnectionSettingsResolver.Resolve(
            new ConnectionOptions(Collector: null, ConfigFile: adminFile), TimeSpan.FromSeconds(30), static _ => null);
        using CollectorChannel channel = new GrpcCollectorChannelFactory().Open(settings);
        var access = new Protocol.Access.AccessClient(channel.CallInvoker);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        CreateEnrollmentTokenResponse created = await access.CreateEnrollmentTokenAsync(
            new CreateEnrollmentTokenRequest { TtlSeconds = (long)TokenLifetime.TotalSeconds, Description = "quickstart agent" },
            cancellationToken: timeout.Token).ConfigureAwait(false);
        return created.Secret;
    }

    private void PrintNextSteps(string collectorData, string adminFile)
    {
        string opsctl = OpsctlInvocation();
        output.WriteLine();
        output.WriteLine("OpsAgent quickstart is running on this machine (loopback only, TLS and mutual TLS as in production):");
        output.WriteLine($"  collector  agent gateway {GatewayUrl}, admin API {AdminUrl}, Prometheus metrics {MetricsUrl}/metrics");
        output.WriteLine($"             store and keys in {collectorData}; admin credential in {adminFile}");
        output.WriteLine($"  agent      enrolled with a single-use token, reporting host metrics every {intervalSeconds} s");
        output.WriteLine();
        output.WriteLine("Try, in another terminal:");
        output.WriteLine($"  alias opsctl='{OpsctlConfigFile.Variable}={adminFile} {opsctl}'");
        output.WriteLine("  opsctl agents");
        output.WriteLine("  opsctl metrics list system.");
        output.WriteLine("  opsctl metrics query system.cpu.utilization --since 5m");
        output.WriteLine("  opsctl audit --since 10m");
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
