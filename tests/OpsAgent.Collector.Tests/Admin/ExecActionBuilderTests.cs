using OpsAgent.Collector.Admin;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Admin;

public sealed class ExecActionBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryBuild_EachAction_FillsTheCommandAndDescribesItLikeAPlaybookStep()
    {
        (string? service, Command c1) = Build(new ExecCommandRequest { Service = new ServiceAction { Operation = ServiceAction.Types.Operation.Restart, Service = "nginx" } });
        (string? signal, Command c2) = Build(new ExecCommandRequest { Signal = new SignalProcess { ProcessName = "java", Signal = "sigterm" } });
        (string? cleanup, Command c3) = Build(new ExecCommandRequest { Cleanup = new CleanupFiles { Directory = "/var/tmp", Pattern = "*.tmp", OlderThanSeconds = 3600 } });
        (string? script, Command c4) = Build(new ExecCommandRequest { Script = new RunScript { Name = "flush.sh", Args = { "--all", "{{ host }}" } } });
        (string? diagnostics, Command c5) = Build(new ExecCommandRequest { Diagnostics = new CollectDiagnostics { Directory = "/var" } });

        Assert.Equal("restart_service nginx", service);
        Assert.Equal("nginx", c1.Service.Service);
        Assert.Equal(("signal_process TERM to processes named java", "TERM"), (signal, c2.Signal.Signal));
        Assert.Equal("cleanup_files /var/tmp/*.tmp older than 1h", cleanup);
        Assert.Equal(3600, c3.Cleanup.OlderThanSeconds);
        // A request is never a template: braces reach the agent as they were typed.
        Assert.Equal(["--all", "{{ host }}"], c4.Script.Args);
        Assert.Equal("run_script flush.sh --all {{ host }}", script);
        Assert.Equal((10u, 20u, "/var"), (c5.Diagnostics.TopProcesses, c5.Diagnostics.TopEntries, c5.Diagnostics.Directory));
        Assert.NotNull(diagnostics);
    }

    [Theory]
    [InlineData("service", "-x", "not a service name")]
    [InlineData("signal", "SIGSEGV", "not a signal a playbook can send")]
    [InlineData("cleanup", "/var/../etc", "contains '..'")]
    [InlineData("cleanup", "/", "root of a file system")]
    [InlineData("script", "../evil.sh", "not a script name")]
    [InlineData("pid", "1", "pid 1 is the init system")]
    [InlineData("none", "", "has no action")]
    public void TryBuild_BadParameter_RefusedWithTheRule(string kind, string value, string expected)
    {
        var request = kind switch
        {
            "service" => new ExecCommandRequest { Service = new ServiceAction { Operation = ServiceAction.Types.Operation.Stop, Service = value } },
            "signal" => new ExecCommandRequest { Signal = new SignalProcess { ProcessName = "java", Signal = value } },
            "cleanup" => new ExecCommandRequest { Cleanup = new CleanupFiles { Directory = value, Pattern = "*" } },
            "script" => new ExecCommandRequest { Script = new RunScript { Name = value } },
            "pid" => new ExecCommandRequest { Signal = new SignalProcess { Pid = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Signal = "TERM" } },
            _ => new ExecCommandRequest(),
        };

        string? description = ExecActionBuilder.TryBuild(request, "agent-1", "web-1", Now, new Command(), out string error);

        Assert.Null(description);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static (string? Description, Command Command) Build(ExecCommandRequest request)
    {
        var command = new Command();
        string? description = ExecActionBuilder.TryBuild(request, "agent-1", "web-1", Now, command, out string error);
        Assert.True(description is not null, error);
        return (description, command);
    }
}
