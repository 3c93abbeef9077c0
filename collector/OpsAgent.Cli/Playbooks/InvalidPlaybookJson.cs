using OpsAgent.Protocol;

namespace OpsAgent.Cli.Playbooks;

/// <summary>A playbook file the collector could not load.</summary>
internal sealed record InvalidPlaybookJson(string File, bool KeptPrevious, IReadOnlyList<PlaybookProblemJson> Problems)
{
    public static InvalidPlaybookJson From(InvalidPlaybookFile f) => new(f.File, f.KeptPrevious, [.. f.Problems.Select(PlaybookProblemJson.From)]);
}
