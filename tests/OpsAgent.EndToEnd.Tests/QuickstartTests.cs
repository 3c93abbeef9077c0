using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpsAgent.EndToEnd.Tests.Infrastructure;

namespace OpsAgent.EndToEnd.Tests;

/// <summary>
/// `opsctl quickstart` as the README tells a newcomer to run it: one command, the secure path on loopback (TLS, an
/// enrolment token, mutual TLS, an admin token), and the commands it prints work as printed.
/// </summary>
public sealed partial class QuickstartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Quickstart_OneCommand_PrintedOpsctlCommandsWorkAndCtrlCStopsBoth()
    {
        int basePort = ThreeFreePorts();
        await using ManagedProcess quickstart = ManagedProcess.Start(
            "quickstart", Binaries.Opsctl, ["quickstart", "--data-dir", _dir.Path, "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "1"]);
        await quickstart.WaitForOutputAsync("Press Ctrl-C to stop both.", TimeSpan.FromSeconds(120));

        // The alias line it prints carries the admin credential: opsctl needs nothing else.
        Match alias = AliasLine().Match(quickstart.StandardOutput);
        Assert.True(alias.Success, quickstart.StandardOutput);
        var environment = new Dictionary<string, string> { ["OPSCTL_CONFIG"] = alias.Groups["config"].Value };
        Assert.Contains("  opsctl agents", quickstart.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  opsctl metrics query system.cpu.utilization --since 5m", quickstart.StandardOutput, StringComparison.Ordinal);

        await Eventually.TrueAsync(
            async () =>
            {
                OpsctlResult agents = await Opsctl.RunAsync(environment, "agents", "-o", "json");
                return agents.ExitCode == 0 && JsonDocument.Parse(agents.StandardOutput).RootElement.GetProperty("agents").EnumerateArray()
                    .Any(a => a.GetProperty("connected").GetBoolean() && a.GetProperty("batchesStored").GetUInt64() > 0);
            },
            TimeSpan.FromSeconds(90),
            "the quickstart agent to enrol, connect and deliver",
            () => quickstart.ToString());

        OpsctlResult table = await Opsctl.RunAsync(environment, "agents");
        OpsctlResult query = await Opsctl.RunAsync(environment, "metrics", "query", "system.cpu.utilization", "--since", "5m");
        Assert.True(table.ExitCode == 0, table.Output);
        Assert.Contains("yes", table.StandardOutput, StringComparison.Ordinal);
        Assert.True(query.ExitCode == 0, query.Output);
        Assert.Contains("TREND", query.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Enrolled as agent", quickstart.Output, StringComparison.Ordinal);

        Assert.Equal(0, await quickstart.StopAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Stopped. The data stays in", quickstart.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex("alias opsctl='OPSCTL_CONFIG=(?<config>[^ ]+) ")]
    private static partial Regex AliasLine();

    /// <summary>Three consecutive free loopback ports outside the ephemeral range (the quickstart takes a base and the next two).</summary>
    private static int ThreeFreePorts()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int first = FreePorts.Next();
            if (first + 2 < 32_000 && IsFree(first + 1) && IsFree(first + 2))
            {
                return first;
            }
        }

        throw new InvalidOperationException("no three consecutive free loopback ports found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
