using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using OpsAgent.Agent.Actions;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Tests.Actions;

/// <summary>Builds what an action handler gets: a command and a policy checked exactly as the agent checks its file.</summary>
internal static class ActionTestContext
{
    public const string PolicyFile = "/etc/opsagent/policy.json";

    public static ActionPolicy Validated(ActionPolicy policy)
    {
        var errors = new List<string>();
        ActionPolicyValidator.Validate(policy, PolicyFile, errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return policy;
    }

    public static ActionContext For(ActionPolicy policy, Command command) =>
        new(command, Validated(policy), PolicyFile, TimeProvider.System);

    public static Command Command(Action<Command> fill, bool dryRun = false, uint timeoutSeconds = 0)
    {
        var command = new Command
        {
            CommandId = "cmd-" + Guid.NewGuid().ToString("N")[..8],
            AgentId = "web-01",
            IssuedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ExpiresUnixMs = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds(),
            Nonce = ByteString.CopyFrom(new byte[16]),
            IssuedBy = "user:test",
            DryRun = dryRun,
            TimeoutSeconds = timeoutSeconds,
        };
        fill(command);
        return command;
    }

    public static ProcessRunner Runner() => new(TimeProvider.System, NullLogger<ProcessRunner>.Instance);

    /// <summary>Writes an executable shell script (mode 0755).</summary>
    public static string WriteScript(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return path;
    }

    public static CancellationToken Timeout(int seconds = 30)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }
}
