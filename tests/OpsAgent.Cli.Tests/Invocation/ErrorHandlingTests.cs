using Grpc.Core;
using OpsAgent.Cli.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Invocation;

public sealed class ErrorHandlingTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private ScriptedCollector _collector = null!;

    public async ValueTask InitializeAsync() =>
        _collector = await ScriptedCollector.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _collector.DisposeAsync();

    [Theory]
    [InlineData("table")]
    [InlineData("json")]
    public async Task Run_CollectorUnreachable_ExitsThreeWithOneLineNamingUrlCauseAndFix(string output)
    {
        var url = ClosedPort.Url();

        var result = await _cli.RunAsync("agents", "-o", output, "--collector", url);

        Assert.Equal(3, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(
            $"opsctl: cannot reach the collector at {url}: Connection refused. " +
            "Is the collector running? Set --collector or OPSAGENT_COLLECTOR.\n",
            result.Stderr);
    }

    [Fact]
    public async Task Run_CollectorUnreachableWithVerbose_AddsTheTransportException()
    {
        var url = ClosedPort.Url();

        var result = await _cli.RunAsync("metrics", "list", "--verbose", "--collector", url);

        Assert.Equal(3, result.ExitCode);
        var lines = result.Stderr.Split('\n');
        Assert.StartsWith($"opsctl: cannot reach the collector at {url}: Connection refused.", lines[0], StringComparison.Ordinal);
        Assert.Contains("System.Net.Sockets.SocketException", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CollectorFromEnvironment_IsUsedAndNamedInErrors()
    {
        var url = ClosedPort.Url();
        _cli.Environment["OPSAGENT_COLLECTOR"] = url;

        var result = await _cli.RunAsync("agents");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"opsctl: cannot reach the collector at {url} (from OPSAGENT_COLLECTOR): Connection refused.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CollectorOption_WinsOverEnvironment()
    {
        _cli.Environment["OPSAGENT_COLLECTOR"] = ClosedPort.Url();
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse());

        var result = await _cli.RunAsync("agents", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Single(_collector.Admin.Calls);
    }

    [Theory]
    [InlineData(StatusCode.Internal, "store is corrupt", 1, "opsctl: the collector at {url} failed the request (Internal): store is corrupt")]
    [InlineData(StatusCode.Unknown, "", 1, "opsctl: the collector at {url} failed the request (Unknown): (the collector gave no details)")]
    [InlineData(StatusCode.ResourceExhausted, "too many series", 1, "opsctl: the collector refused the request as too large or too frequent (ResourceExhausted): too many series")]
    [InlineData(StatusCode.InvalidArgument, "step_ms must be >= 1000", 2, "opsctl: the collector rejected the request (InvalidArgument): step_ms must be >= 1000")]
    [InlineData(StatusCode.Unavailable, "store is shutting down", 3, "opsctl: the collector at {url} is unavailable (Unavailable): store is shutting down. Try again shortly.")]
    [InlineData(StatusCode.Unauthenticated, "missing token", 4, "opsctl: the collector at {url} did not accept our credentials (Unauthenticated): missing token. Pass a valid API token with --token, OPSAGENT_TOKEN or the config file (OPSCTL_CONFIG).")]
    [InlineData(StatusCode.PermissionDenied, "role viewer may not do this", 4, "opsctl: permission denied (PermissionDenied): role viewer may not do this. Ask an admin for a token whose role allows this.")]
    public async Task Run_CollectorReturnsErrorStatus_ExplainsQuotesDetailAndMapsExitCode(
        StatusCode code, string detail, int exitCode, string expected)
    {
        _collector.Admin.OnListSeries = (_, _) => throw new RpcException(new Status(code, detail));

        var result = await _cli.RunAsync("metrics", "list", "--collector", _collector.Url);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(expected.Replace("{url}", _collector.Url, StringComparison.Ordinal) + "\n", result.Stderr);
    }

    [Fact]
    public async Task Run_CollectorLacksTheMethod_SaysToUpgradeTheCollector()
    {
        var result = await _cli.RunAsync("agents", "--collector", _collector.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"opsctl: the collector at {_collector.Url} does not support this command (Unimplemented): " +
            "/opsagent.v1.Admin/ListAgents is not scripted by this test. It is probably older than this opsctl; upgrade the collector.\n",
            result.Stderr);
    }

    [Fact]
    public async Task Run_CollectorSilentPastTimeout_ExitsThreeNamingTheTimeout()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _collector.Admin.OnListAgents = async (_, context) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new ListAgentsResponse();
        };

        var run = _cli.RunAsync("agents", "--timeout", "2s", "--collector", _collector.Url);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        _cli.Time.Advance(TimeSpan.FromSeconds(2));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            $"opsctl: the collector at {_collector.Url} did not answer within 2s. Is it overloaded, or is something in between " +
            "dropping packets? Raise --timeout or check the collector's log.\n",
            result.Stderr);
    }

    [Fact]
    public async Task Run_Interrupted_ExitsWith130()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _collector.Admin.OnListAgents = async (_, context) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new ListAgentsResponse();
        };
        using var interrupt = new CancellationTokenSource();

        var run = _cli.RunInterruptibleAsync(interrupt.Token, "agents", "--collector", _collector.Url);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await interrupt.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("opsctl: interrupted.\n", result.Stderr);
    }

    [Fact]
    public async Task Run_TokenInEnvironment_IsSentAsBearerToken()
    {
        _cli.Environment["OPSAGENT_TOKEN"] = "s3cret";
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse());

        var result = await _cli.RunAsync("agents", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Bearer s3cret", Assert.Single(_collector.Admin.Calls).Authorization);
    }

    [Fact]
    public async Task Run_NoToken_SendsNoAuthorization()
    {
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse());

        await _cli.RunAsync("agents", "--collector", _collector.Url);

        Assert.Null(Assert.Single(_collector.Admin.Calls).Authorization);
    }

    [Fact]
    public async Task Run_TokenToPlainHttpBeyondLoopback_IsRefusedBeforeConnecting()
    {
        _cli.Environment["OPSAGENT_TOKEN"] = "s3cret";

        // .invalid never resolves: even a regression could not send the token anywhere.
        var result = await _cli.RunAsync("agents", "--collector", "http://collector.invalid:7401");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "opsctl: refusing to send the API token from OPSAGENT_TOKEN in clear text to http://collector.invalid:7401. " +
            "Use an https:// collector URL, or unset the token for a collector that needs none.\n",
            result.Stderr);
    }

    [Theory]
    [InlineData("localhost:7401", "opsctl: --collector 'localhost:7401' is not a collector URL. Use https://HOST:PORT for TLS or http://HOST:PORT for plain HTTP/2 (insecure mode, loopback only), for example https://localhost:7401.")]
    [InlineData("ftp://host:21", "opsctl: --collector 'ftp://host:21' is not a collector URL. Use https://HOST:PORT for TLS or http://HOST:PORT for plain HTTP/2 (insecure mode, loopback only), for example https://127.0.0.1:7401.")]
    public async Task Run_CollectorNotAUrl_IsAUsageErrorWithASuggestion(string collector, string expected)
    {
        var result = await _cli.RunAsync("agents", "--collector", collector);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected + "\n", result.Stderr);
    }

    [Fact]
    public async Task Run_UnknownCommand_IsAUsageError()
    {
        var result = await _cli.RunAsync("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("opsctl: Unrecognized command or argument 'frobnicate'.", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("Run 'opsctl --help' for usage.\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoCommand_IsAUsageError()
    {
        var result = await _cli.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Run 'opsctl --help' for usage.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_ListsCommandsAndGlobalOptionsAndExitsZero()
    {
        var result = await _cli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("opsctl [command] [options]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("agents", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("metrics", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--collector <URL>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("-o, --output <json|table>", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_JsonOnATerminal_CarriesNoAnsi()
    {
        var cli = new CliRunner { OutIsTerminal = true };
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse { Agents = { Fleet.Web1() } });

        var result = await cli.RunAsync("agents", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Stdout);
    }
}
