namespace OpsAgent.Collector.Access;

/// <summary>What a caller must prove to call a method. The roles are ordered: a higher one may do what a lower one may.</summary>
internal enum Requirement
{
    /// <summary>Nothing: gRPC health (probes send no credentials) and the CA certificate (public anyway).</summary>
    Anonymous,

    /// <summary>A single-use enrolment token inside the request, checked by the enrolment service.</summary>
    EnrollmentToken,

    /// <summary>A client certificate issued by this collector's CA to an enrolled, not revoked agent.</summary>
    Agent,

    /// <summary>An API token with role viewer or higher.</summary>
    Viewer,

    /// <summary>An API token with role operator or higher.</summary>
    Operator,

    /// <summary>An API token with role admin.</summary>
    Admin,
}
