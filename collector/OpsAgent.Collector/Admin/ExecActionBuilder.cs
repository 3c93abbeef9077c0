using System.Globalization;
using OpsAgent.Collector.Playbooks.Engine;
using OpsAgent.Collector.Playbooks.Format;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Admin;

/// <summary>
/// The action of an ad-hoc command (<c>opsctl exec</c>), checked by the same rules and rendered by the same code as a
/// playbook step: the request becomes a <see cref="StepAction"/> with literal parameters (nothing in a request is ever
/// read as a template), which fills the command and describes it. The agent's local policy still has the last word.
/// </summary>
internal static class ExecActionBuilder
{
    private const uint DefaultTopProcesses = 10;
    private const uint DefaultTopEntries = 20;
    private const uint MaxTop = 1000;
    private const uint MaxFiles = 100_000;

    /// <summary>Fills the action of <paramref name="command"/>; returns its description, or null with <paramref name="error"/>.</summary>
    public static string? TryBuild(ExecCommandRequest request, string agentId, string hostname, DateTimeOffset now, Command command, out string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(command);
        StepAction? action = ToStep(request, out error);
        if (action is null)
        {
            return null;
        }

        // The rules are applied when a step is rendered from a trigger; for a request there is nothing to fill in, so the
        // trigger only names the host.
        var trigger = new PlaybookTrigger(TriggerKind.AnomalyRaised, "", agentId, hostname, new Dictionary<string, string>(), null, null, TriggerSeverity.Info, now, "");
        if (!action.TryRender(new TemplateContext("exec", trigger), command, out string description, out string renderError))
        {
            error = renderError;
            return null;
        }

        return description;
    }

    private static StepAction? ToStep(ExecCommandRequest request, out string error)
    {
        error = "";
        switch (request.ActionCase)
        {
            case ExecCommandRequest.ActionOneofCase.Service:
                if (request.Service.Operation is ServiceAction.Types.Operation.Unspecified || !Enum.IsDefined(request.Service.Operation))
                {
                    error = "service.operation must be restart, stop or start";
                    return null;
                }

                return new ServiceStepAction(request.Service.Operation, ParameterTemplate.Literal(request.Service.Service));

            case ExecCommandRequest.ActionOneofCase.Signal:
                if (ParameterRules.Signal(request.Signal.Signal, out string signal) is { } badSignal)
                {
                    error = "signal " + badSignal;
                    return null;
                }

                return request.Signal.TargetCase switch
                {
                    SignalProcess.TargetOneofCase.ProcessName => new SignalStepAction(ParameterTemplate.Literal(request.Signal.ProcessName), null, signal),
                    SignalProcess.TargetOneofCase.Pid => new SignalStepAction(null, ParameterTemplate.Literal(request.Signal.Pid.ToString(CultureInfo.InvariantCulture)), signal),
                    _ => Fail(out error, "signal needs a process: give its pid or its name"),
                };

            case ExecCommandRequest.ActionOneofCase.Cleanup:
                CleanupFiles cleanup = request.Cleanup;
                if (cleanup.OlderThanSeconds < 0 || cleanup.LargerThanBytes < 0 || cleanup.MaxFiles > MaxFiles)
                {
                    error = $"cleanup: older_than_seconds and larger_than_bytes must not be negative, and max_files at most {MaxFiles}";
                    return null;
                }

                return new CleanupStepAction(
                    ParameterTemplate.Literal(cleanup.Directory), ParameterTemplate.Literal(cleanup.Pattern),
                    TimeSpan.FromSeconds(cleanup.OlderThanSeconds), cleanup.LargerThanBytes, cleanup.MaxFiles);

            case ExecCommandRequest.ActionOneofCase.Script:
                if (request.Script.Args.Count > ParameterRules.MaxArguments)
                {
                    error = $"script has {request.Script.Args.Count} arguments; at most {ParameterRules.MaxArguments} are allowed";
                    return null;
                }

                return new ScriptStepAction(ParameterTemplate.Literal(request.Script.Name), [.. request.Script.Args.Select(ParameterTemplate.Literal)]);

            case ExecCommandRequest.ActionOneofCase.Diagnostics:
                CollectDiagnostics diagnostics = request.Diagnostics;
                if (diagnostics.TopProcesses > MaxTop || diagnostics.TopEntries > MaxTop)
                {
                    error = $"diagnostics: top_processes and top_entries must be at most {MaxTop}";
                    return null;
                }

                bool directory = diagnostics.Directory.Length > 0;
                return new DiagnosticsStepAction(
                    diagnostics.TopProcesses == 0 ? DefaultTopProcesses : diagnostics.TopProcesses,
                    directory ? ParameterTemplate.Literal(diagnostics.Directory) : null,
                    !directory ? 0 : diagnostics.TopEntries == 0 ? DefaultTopEntries : diagnostics.TopEntries);

            default:
                return Fail(out error, "the request has no action: give one of service, signal, cleanup, script or diagnostics");
        }
    }

    private static StepAction? Fail(out string error, string message)
    {
        error = message;
        return null;
    }
}
