using System.Diagnostics;
using System.Text;
using OpsAgent.Agent.Actions.Policy;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Signals;

/// <summary>
/// Signals a process by pid, or every process of an exact name, when the policy allows that name and that signal.
/// Linux: kill(2) semantics through a pidfd; Windows has no signals, so only KILL (terminate) exists there.
/// Never pid 1 (init) or the agent itself.
/// </summary>
internal sealed class SignalActionHandler : IActionHandler
{
    public Command.ActionOneofCase Action => Command.ActionOneofCase.Signal;

    public Task<ActionOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        SignalProcess request = context.Command.Signal;
        if (!SignalNames.TryNormalize(request.Signal, out string signal))
        {
            return Task.FromResult(ActionOutcome.Invalid(
                $"'{request.Signal}' is not a signal the agent sends; use one of {SignalNames.Supported}. Nothing was done."));
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return Task.FromResult(ActionOutcome.Unsupported("Signalling processes is available on Linux and Windows only; nothing was done."));
        }

        if (OperatingSystem.IsWindows() && signal != SignalNames.Kill)
        {
            return Task.FromResult(ActionOutcome.Invalid($"Windows has no signals: only KILL (terminate the process) can be sent, not {signal}."));
        }

        List<(int Pid, string Name)> targets;
        string name;
        switch (request.TargetCase)
        {
            case SignalProcess.TargetOneofCase.Pid:
                int pid = request.Pid;
                if (pid <= 1)
                {
                    return Task.FromResult(ActionOutcome.Invalid(
                        $"pid {pid} cannot be signalled: 0 and negative pids address process groups or every process, and 1 is init."));
                }

                if (pid == Environment.ProcessId)
                {
                    return Task.FromResult(ActionOutcome.Invalid($"pid {pid} is the agent itself, which does not signal itself."));
                }

                if (ProcessNames.Of(pid) is not { } current)
                {
                    return Task.FromResult(ActionOutcome.Failed($"No process with pid {pid} is running; nothing was signalled."));
                }

                name = current;
                if (Deny(context, name, signal, $"Process {pid} is '{name}'") is { } denied)
                {
                    return Task.FromResult(denied);
                }

                targets = [(pid, name)];
                break;

            case SignalProcess.TargetOneofCase.ProcessName:
                name = request.ProcessName;
                if (name.Length is 0 or > 255 || name.IndexOfAny(['/', '\\', '\0']) >= 0)
                {
                    return Task.FromResult(ActionOutcome.Invalid($"'{name}' is not a process name (no path); nothing was done."));
                }

                if (Deny(context, name, signal, $"'{name}'") is { } deniedByName)
                {
                    return Task.FromResult(deniedByName);
                }

                targets = FindByName(name);
                if (targets.Count == 0)
                {
                    return Task.FromResult(ActionOutcome.Failed($"No process named '{name}' is running; nothing was signalled."));
                }

                break;

            default:
                return Task.FromResult(ActionOutcome.Invalid("The command names no process: give a pid or a process name."));
        }

        string pids = string.Join(", ", targets.Select(t => t.Pid));
        if (context.DryRun)
        {
            return Task.FromResult(ActionOutcome.Succeeded($"Would send {signal} to {targets.Count} process(es) named '{name}': pid {pids}."));
        }

        return Task.FromResult(Deliver(targets, signal, name, context, cancellationToken));
    }

    private static ActionOutcome Deliver(List<(int Pid, string Name)> targets, string signal, string name, ActionContext context, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(context.Timeout(context.Policy.Timeouts.SignalSeconds), context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var report = new StringBuilder();
        int sent = 0;
        int failed = 0;
        foreach ((int pid, string expected) in targets)
        {
            if (linked.IsCancellationRequested)
            {
                report.Append("stopped: the signal timeout ran out before pid ").Append(pid).AppendLine();
                failed++;
                break;
            }

            (SignalDelivery delivery, string problem) = Send(pid, signal, expected);
            report.Append("pid ").Append(pid).Append(" (").Append(expected).Append("): ").AppendLine(delivery switch
            {
                SignalDelivery.Sent => "sent " + signal,
                SignalDelivery.Gone => "had exited already",
                SignalDelivery.Replaced => "not signalled: " + problem + " (the target exited and its pid was reused)",
                _ => "failed: " + problem,
            });
            sent += delivery == SignalDelivery.Sent ? 1 : 0;
            failed += delivery == SignalDelivery.Failed ? 1 : 0;
        }

        string output = BoundedText.Truncate(report.ToString(), context.MaxOutputBytes);
        bool truncated = output.Length < report.Length;
        ActionOutcome outcome = failed > 0 || sent == 0
            ? ActionOutcome.Failed($"Sent {signal} to {sent} of {targets.Count} process(es) named '{name}'; {failed} failed. See the output for each pid.")
            : ActionOutcome.Succeeded($"Sent {signal} to {sent} process(es) named '{name}'.");
        return outcome.WithOutput(output, truncated);
    }

    private static (SignalDelivery Delivery, string Problem) Send(int pid, string signal, string expectedName)
    {
        if (OperatingSystem.IsLinux())
        {
            SignalDelivery delivery = LinuxSignalSender.Send(pid, SignalNames.LinuxNumber(signal), expectedName, out string problem);
            return (delivery, problem);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            if (!string.Equals(process.ProcessName, expectedName, StringComparison.OrdinalIgnoreCase))
            {
                return (SignalDelivery.Replaced, $"pid {pid} is now '{process.ProcessName}'");
            }

            process.Kill(entireProcessTree: false);
            return (SignalDelivery.Sent, "");
        }
        catch (ArgumentException)
        {
            return (SignalDelivery.Gone, "");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return (SignalDelivery.Failed, ex.Message);
        }
    }

    private static ActionOutcome? Deny(ActionContext context, string name, string signal, string what)
    {
        StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        ProcessRule? rule = context.Policy.Processes.FirstOrDefault(r => r.Name.Equals(name, comparison));
        if (rule is null)
        {
            return ActionOutcome.Denied(
                $"{what} is not a process the local policy ({context.PolicyFile}, Processes) allows signalling; nothing was done. To allow it, " +
                $"add {{\"Name\": \"{name}\", \"Signals\": [\"{signal}\"]}} to Processes and restart the agent.");
        }

        if (!rule.Signals.Contains(signal, StringComparer.Ordinal))
        {
            return ActionOutcome.Denied(
                $"The local policy ({context.PolicyFile}) allows only {string.Join(", ", rule.Signals)} for processes named '{name}', not {signal}; " +
                "nothing was done. To allow it, add it to that entry's Signals and restart the agent.");
        }

        return null;
    }

    private static List<(int Pid, string Name)> FindByName(string name)
    {
        var found = new List<(int, string)>();
        foreach (Process process in Process.GetProcessesByName(name))
        {
            using (process)
            {
                if (process.Id > 1 && process.Id != Environment.ProcessId)
                {
                    found.Add((process.Id, name));
                }
            }
        }

        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found;
    }
}
