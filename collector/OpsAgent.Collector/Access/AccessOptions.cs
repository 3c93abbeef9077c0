namespace OpsAgent.Collector.Access;

/// <summary>Admin API access and the audit log (section <c>Collector:Access</c>).</summary>
internal sealed class AccessOptions
{
    public const string SectionName = "Collector:Access";

    /// <summary>How long audit entries are kept.</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Failed authentications (bad API token, bad agent certificate) one IP address may make per minute; beyond it
    /// its calls get RESOURCE_EXHAUSTED until the minute has passed. Guessing a 128-bit token is hopeless anyway; this
    /// keeps a misbehaving client from filling the audit log and the log.
    /// </summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 30;

    /// <summary>
    /// At start-up, when no admin token works (a new collector, or all revoked or expired), create one and write it with
    /// the collector's address and CA to DATA_DIR/admin.json (mode 0600): an opsctl configuration file.
    /// </summary>
    public bool WriteBootstrapAdmin { get; set; } = true;
}
