using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Playbooks.Engine;

/// <summary>The playbooks in force now. Implementations swap whole snapshots, so a reader never sees a half-applied change.</summary>
internal interface IPlaybookCatalog
{
    /// <summary>Every loaded playbook, enabled or not, ordered by name.</summary>
    IReadOnlyList<Playbook> Playbooks { get; }
}
