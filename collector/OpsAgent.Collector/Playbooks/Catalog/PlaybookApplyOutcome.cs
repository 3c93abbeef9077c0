namespace OpsAgent.Collector.Playbooks.Catalog;

/// <summary>The result of applying a playbook's text.</summary>
internal enum PlaybookApplyOutcome
{
    /// <summary>A new playbook: a new file was written.</summary>
    Created,

    /// <summary>A playbook of that name existed; its file was replaced.</summary>
    Replaced,

    /// <summary>The same text was already in force; nothing was written.</summary>
    Unchanged,

    /// <summary>The text is not a valid playbook; nothing was written.</summary>
    Invalid,
}
