using System.Text.Json;
using Grpc.Core;
using OpsAgent.Cli.Tests.Infrastructure;
using OpsAgent.Protocol;

namespace OpsAgent.Cli.Tests.Agents;

public sealed class AgentsCommandTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private ScriptedCollector _collector = null!;

    public async ValueTask InitializeAsync() =>
        _collector = await ScriptedCollector.StartAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _collector.DisposeAsync();

    [Fact]
    public async Task List_Table_ShowsHostIdVersionLabelsConnectionAndLastSeen()
    {
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse { Agents = { Fleet.Web1(), Fleet.Db1() } });

        var result = await _cli.RunAsync("agents", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            HOST   AGENT ID  VERSION  LABELS             CONNECTED    LAST SEEN
            db-1   a-19be    0.0.9    -                  no           2d3h ago
            web-1  a-7f3c    0.1.0    env=prod,role=web  yes (3h12m)  12s ago
            """,
            result.Text);
        Assert.Empty(result.Stderr);
        Assert.False(_collector.Admin.SingleRequest<ListAgentsRequest>().ConnectedOnly);
    }

    [Fact]
    public async Task List_ConnectedOption_AsksCollectorForConnectedAgentsOnly()
    {
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse());

        var result = await _cli.RunAsync("agents", "--connected", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.True(_collector.Admin.SingleRequest<ListAgentsRequest>().ConnectedOnly);
        Assert.Equal("No agents are connected to this collector.", result.Text);
    }

    [Fact]
    public async Task List_Json_IsStableCamelCaseDocument()
    {
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse { Agents = { Fleet.Web1() } });

        var result = await _cli.RunAsync("agents", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """
            {
              "agents": [
                {
                  "agentId": "a-7f3c",
                  "hostname": "web-1",
                  "version": "0.1.0",
                  "labels": {
                    "env": "prod",
                    "role": "web"
                  },
                  "connected": true,
                  "connectedSince": "2025-01-31T05:03:00.000Z",
                  "lastSeen": "2025-01-31T08:14:48.000Z",
                  "firstSeen": "2025-01-22T08:15:00.000Z",
                  "remoteAddress": "127.0.0.1:51234",
                  "batchesStored": 1200,
                  "samplesStored": 456000,
                  "lastSequence": 1200,
                  "capabilities": [
                    "metrics",
                    "logs"
                  ],
                  "host": {
                    "os": "linux",
                    "osVersion": "Debian GNU/Linux 12 (bookworm)",
                    "kernel": "6.1.0-18-amd64",
                    "arch": "x64",
                    "cpuCount": 8,
                    "memoryBytes": 17179869184,
                    "bootTime": "2025-01-28T04:15:00.000Z",
                    "machineId": "4f1c9e0d2b7a"
                  }
                }
              ]
            }

            """,
            result.Stdout);
        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    [Fact]
    public async Task List_JsonOfDisconnectedAgent_HasNullConnectedSince()
    {
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse { Agents = { Fleet.Db1() } });

        var result = await _cli.RunAsync("agents", "--output", "json", "--collector", _collector.Url);

        using var document = JsonDocument.Parse(result.Stdout);
        var agent = Assert.Single(document.RootElement.GetProperty("agents").EnumerateArray().ToArray());
        Assert.False(agent.GetProperty("connected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("connectedSince").ValueKind);
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("host").GetProperty("bootTime").ValueKind);
        Assert.Empty(agent.GetProperty("labels").EnumerateObject());
    }

    [Fact]
    public async Task List_Empty_SaysNoAgentYet()
    {
        _collector.Admin.OnListAgents = (_, _) => Task.FromResult(new ListAgentsResponse());

        var result = await _cli.RunAsync("agents", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No agent has connected to this collector yet.", result.Text);
    }

    [Fact]
    public async Task Show_Table_ShowsHostFacts()
    {
        _collector.Admin.OnGetAgent = (_, _) => Task.FromResult(Fleet.Web1());

        var result = await _cli.RunAsync("agents", "show", "web-1", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("web-1", _collector.Admin.SingleRequest<GetAgentRequest>().AgentId);
        Assert.Equal(
            """
            Agent ID:        a-7f3c
            Host:            web-1
            Version:         0.1.0
            Labels:          env=prod,role=web
            Connected:       yes, since 2025-01-31 05:03:00 +00:00 (3h12m ago)
            Last seen:       12s ago (2025-01-31 08:14:48 +00:00)
            First seen:      9d ago (2025-01-22 08:15:00 +00:00)
            Remote address:  127.0.0.1:51234
            OS:              linux, Debian GNU/Linux 12 (bookworm)
            Kernel:          6.1.0-18-amd64
            Arch:            x64
            CPUs:            8
            Memory:          16 GiB
            Booted:          2025-01-28 04:15:00 +00:00 (up 3d4h)
            Machine ID:      4f1c9e0d2b7a
            Capabilities:    metrics,logs
            Batches stored:  1200
            Samples stored:  456000
            Last sequence:   1200
            """,
            result.Text);
    }

    [Fact]
    public async Task Show_Json_IsTheAgentObject()
    {
        _collector.Admin.OnGetAgent = (_, _) => Task.FromResult(Fleet.Web1());

        var result = await _cli.RunAsync("agents", "show", "a-7f3c", "-o", "json", "--collector", _collector.Url);

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal("a-7f3c", document.RootElement.GetProperty("agentId").GetString());
        Assert.Equal("6.1.0-18-amd64", document.RootElement.GetProperty("host").GetProperty("kernel").GetString());
    }

    [Fact]
    public async Task Show_UnknownAgent_ExitsOneWithTheCollectorsWords()
    {
        _collector.Admin.OnGetAgent = (request, _) =>
            throw new RpcException(new Status(StatusCode.NotFound, $"no agent with id or hostname '{request.AgentId}'"));

        var result = await _cli.RunAsync("agents", "show", "web-9", "--collector", _collector.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal("opsctl: not found (NotFound): no agent with id or hostname 'web-9'\n", result.Stderr);
    }

    [Fact]
    public async Task Show_WithoutAgent_IsAUsageError()
    {
        var result = await _cli.RunAsync("agents", "show", "--collector", _collector.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Run 'opsctl agents show --help' for usage.", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_collector.Admin.Calls);
    }
}
