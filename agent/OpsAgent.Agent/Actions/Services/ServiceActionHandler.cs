using Microsoft.Extensions.Options;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Agent.Commands;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Services;

/// <summary>Restarts, stops or starts a service the policy lists: systemctl on Linux, the Service Control Manager on Windows.</summary>
internal sealed class ServiceActionHandler(IOptions<CommandOptions> options, ProcessRunner runner) : IActionHandler
{
    private readonly string _systemctl = SystemctlCommandLine.Locate(options.Value.SystemctlPath);

    public Command.ActionOneofCase Action => Command.ActionOneofCase.Service;

    public async Task<ActionOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ServiceAction request = context.Command.Service;
        if (request.Operation is not (ServiceAction.Types.Operation.Restart or ServiceAction.Types.Operation.Stop or ServiceAction.Types.Operation.Start))
        {
            return ActionOutcome.Invalid("The command names no service operation; it must be restart, stop or start.");
        }

        string verb = SystemctlCommandLine.Verb(request.Operation);
        string name = request.Service;
        if (OperatingSystem.IsWindows() ? name.Length is 0 or > 256 : !SystemdUnitName.IsValid(name))
        {
            return ActionOutcome.Invalid($"'{name}' is not a valid service name, so nothing was done.");
        }

        if (!OperatingSystem.IsWindows())
        {
            name = SystemdUnitName.Normalize(name);
        }

        StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        ServiceRule? rule = context.Policy.Services.FirstOrDefault(r => r.Name.Equals(name, comparison));
        if (rule is null)
        {
            return ActionOutcome.Denied(
                $"The local policy ({context.PolicyFile}) does not list service {name}, so the agent does not {verb} it. To allow it, add " +
                $"{{\"Name\": \"{name}\", \"Operations\": [\"{verb}\"]}} to Services and restart the agent.");
        }

        if (!rule.AllowedOperations.Contains(request.Operation))
        {
            return ActionOutcome.Denied(
                $"The local policy ({context.PolicyFile}) allows only {string.Join(", ", rule.AllowedOperations.Select(SystemctlCommandLine.Verb))} " +
                $"for service {name}, not {verb}. To allow it, add \"{verb}\" to that entry's Operations and restart the agent.");
        }

        TimeSpan timeout = context.Timeout(context.Policy.Timeouts.ServiceSeconds);
        if (OperatingSystem.IsWindows())
        {
            return await WindowsServiceControl.RunAsync(name, request.Operation, context.DryRun, timeout, cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsLinux())
        {
            return ActionOutcome.Unsupported("Service control is available on Linux (systemd) and Windows only; nothing was done.");
        }

        var launch = new ProcessLaunch(_systemctl, SystemctlCommandLine.Arguments(request.Operation, name), "/", ProcessLaunch.BaseEnvironment());
        if (context.DryRun)
        {
            return ActionOutcome.Succeeded($"Would run: {launch.Display()} (timeout {timeout.TotalSeconds:0} s).");
        }

        ProcessRunResult run = await runner.RunAsync(launch, timeout, context.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        ActionOutcome outcome = run switch
        {
            { Started: false } => ActionOutcome.Failed($"Could not {verb} {name}: {run.StartError}. Is this host running systemd?"),
            { Cancelled: true } => ActionOutcome.Failed($"The agent stopped while systemctl {verb} {name} ran; it was killed. Check: systemctl status {name}"),
            { TimedOut: true } => ActionOutcome.TimedOut(
                $"systemctl {verb} {name} did not finish within {timeout.TotalSeconds:0} s and was stopped; the job may still be running in systemd. " +
                $"Check: systemctl status {name}"),
            { ExitCode: 0 } => ActionOutcome.Succeeded($"{Past(verb)} {name} (systemctl {verb} exited with code 0)."),
            _ => ActionOutcome.Failed($"systemctl {verb} {name} failed with exit code {run.ExitCode}; see the output and: journalctl -u {name} -n 50"),
        };
        return outcome.WithOutput(run.Output, run.OutputTruncated) with { ExitCode = run.ExitCode };
    }

    private static string Past(string verb) => verb switch
    {
        "restart" => "Restarted",
        "stop" => "Stopped",
        _ => "Started",
    };
}
