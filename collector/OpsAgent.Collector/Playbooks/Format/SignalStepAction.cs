using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary><c>signal_process</c>: exactly one of <c>name</c> or <c>pid</c>, and <c>signal</c> (canonical, without SIG).</summary>
internal sealed record SignalStepAction(ParameterTemplate? ProcessName, ParameterTemplate? Pid, string Signal) : StepAction
{
    public override string Kind => "signal_process";

    public override bool TryRender(TemplateContext context, Command command, out string description, out string error)
    {
        error = "";
        description = Kind;
        var action = new SignalProcess { Signal = Signal };
        if (ProcessName is not null)
        {
            if (!TryValue(ProcessName, "name", ParameterRules.ProcessName, context, out string name, ref error))
            {
                return false;
            }

            action.ProcessName = name;
            description = $"{Kind} {Signal} to processes named {name}";
        }
        else
        {
            int pid = 0;
            if (!TryValue(Pid!, "pid", v => ParameterRules.ProcessId(v, out pid), context, out _, ref error))
            {
                return false;
            }

            action.Pid = pid;
            description = $"{Kind} {Signal} to pid {pid}";
        }

        command.Signal = action;
        return true;
    }
}
