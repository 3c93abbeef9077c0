using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary><c>collect_diagnostics</c>: top processes and, when <c>directory</c> is given, its biggest entries.</summary>
internal sealed record DiagnosticsStepAction(uint TopProcesses, ParameterTemplate? Directory, uint TopEntries) : StepAction
{
    public override string Kind => "collect_diagnostics";

    public override bool IsFixAttempt => false;

    public override bool TryRender(TemplateContext context, Command command, out string description, out string error)
    {
        error = "";
        description = Kind;
        string directory = "";
        if (Directory is not null && !TryValue(Directory, "directory", ParameterRules.Directory, context, out directory, ref error))
        {
            return false;
        }

        command.Diagnostics = new CollectDiagnostics { TopProcesses = TopProcesses, Directory = directory, TopEntries = TopEntries };
        description = directory.Length == 0
            ? $"{Kind} (top {TopProcesses} processes)"
            : $"{Kind} (top {TopProcesses} processes, {TopEntries} biggest entries of {directory})";
        return true;
    }
}
