namespace OpsAgent.Collector.Enrollment;

/// <summary>Agent enrolment and certificates (section <c>Collector:Enrollment</c>).</summary>
internal sealed class EnrollmentOptions
{
    public const string SectionName = "Collector:Enrollment";

    /// <summary>Validity of an agent's client certificate. A running agent renews it when two thirds have passed.</summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The longest an enrolment token may be valid (<c>opsctl tokens create --expires</c>).</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Enrolment attempts one IP address may make per minute (bursts of this many, then one per 60/N s).</summary>
    public int AttemptsPerMinute { get; set; } = 10;
}
