using OpsAgent.Collector.Playbooks.Format;

namespace OpsAgent.Collector.Playbooks.Catalog;

/// <summary>A loaded playbook and the file it came from.</summary>
internal sealed record PlaybookEntry(Playbook Playbook, string File);
