using System.Runtime.Versioning;
using System.ServiceProcess;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Actions.Services;

/// <summary>Restarts, stops and starts a Windows service through the Service Control Manager.</summary>
[SupportedOSPlatform("windows")]
internal static class WindowsServiceControl
{
    public static async Task<ActionOutcome> RunAsync(
        string name, ServiceAction.Types.Operation operation, bool dryRun, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var service = new ServiceController(name);
        ServiceControllerStatus before;
        try
        {
            before = service.Status;
        }
        catch (InvalidOperationException ex)
        {
            return ActionOutcome.Failed($"The Windows service {name} does not exist or cannot be queried: {ex.Message}");
        }

        string verb = SystemctlCommandLine.Verb(operation);
        if (dryRun)
        {
            return ActionOutcome.Succeeded(
                $"Would {verb} the Windows service {name} (now {before}) through the Service Control Manager, waiting up to {timeout.TotalSeconds:0} s.");
        }

        try
        {
            // ServiceController waits by polling and blocking: keep that off the executor's thread.
            await Task.Run(() => Apply(service, operation, timeout), cancellationToken).ConfigureAwait(false);
        }
        catch (System.ServiceProcess.TimeoutException)
        {
            service.Refresh();
            return ActionOutcome.TimedOut(
                $"The Windows service {name} did not reach the expected state within {timeout.TotalSeconds:0} s (now {service.Status}). " +
                "Check it in services.msc or the System event log.");
        }
        catch (InvalidOperationException ex)
        {
            return ActionOutcome.Failed($"Could not {verb} the Windows service {name}: {ex.Message}");
        }

        service.Refresh();
        return ActionOutcome.Succeeded($"The Windows service {name} was {before} and is now {service.Status} ({verb}).");
    }

    private static void Apply(ServiceController service, ServiceAction.Types.Operation operation, TimeSpan timeout)
    {
        if (operation is ServiceAction.Types.Operation.Stop or ServiceAction.Types.Operation.Restart &&
            service.Status != ServiceControllerStatus.Stopped)
        {
            service.Stop();
            service.WaitForStatus(ServiceControllerStatus.Stopped, timeout);
        }

        if (operation is ServiceAction.Types.Operation.Start or ServiceAction.Types.Operation.Restart)
        {
            service.Refresh();
            if (service.Status != ServiceControllerStatus.Running)
            {
                service.Start();
                service.WaitForStatus(ServiceControllerStatus.Running, timeout);
            }
        }
    }
}
