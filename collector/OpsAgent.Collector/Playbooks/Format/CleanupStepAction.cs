using OpsAgent.Protocol;

namespace OpsAgent.Collector.Playbooks.Format;

/// <summary><c>cleanup_files</c>: files matching <c>pattern</c> in <c>directory</c>, filtered by age and size, at most <c>max_files</c>.</summary>
internal sealed record CleanupStepAction(ParameterTemplate Directory, ParameterTemplate Pattern, TimeSpan OlderThan, long LargerThanBytes, uint MaxFiles)
    : StepAction
{
    public override string Kind => "cleanup_files";

    public override bool TryRender(TemplateContext context, Command command, out string description, out string error)
    {
        error = "";
        description = Kind;
        if (!TryValue(Directory, "directory", ParameterRules.Directory, context, out string directory, ref error)
            || !TryValue(Pattern, "pattern", ParameterRules.FilePattern, context, out string pattern, ref error))
        {
            return false;
        }

        command.Cleanup = new CleanupFiles
        {
            Directory = directory,
            Pattern = pattern,
            OlderThanSeconds = (long)OlderThan.TotalSeconds,
            LargerThanBytes = LargerThanBytes,
            MaxFiles = MaxFiles,
        };
        description = $"{Kind} {directory}/{pattern}"
            + (OlderThan > TimeSpan.Zero ? $" older than {DurationText.Format(OlderThan)}" : "")
            + (LargerThanBytes > 0 ? $" larger than {LargerThanBytes} bytes" : "");
        return true;
    }
}
