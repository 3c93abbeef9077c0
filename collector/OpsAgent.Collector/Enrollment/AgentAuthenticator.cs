using System.Security.Cryptography.X509Certificates;
using OpsAgent.Collector.Pki;

namespace OpsAgent.Collector.Enrollment;

/// <summary>
/// Decides whether a client certificate identifies an enrolled agent: issued by this collector's CA for client
/// authentication, valid now, its serial in the issued list and not revoked, and its subject the agent the list says.
/// </summary>
internal sealed class AgentAuthenticator(CollectorPki pki, AgentCertificateStore certificates, TimeProvider time)
{
    public AgentPrincipal? Authenticate(X509Certificate2? certificate, out string problem)
    {
        if (certificate is null)
        {
            problem = "the connection carries no client certificate: this agent is not enrolled, or connects without its certificate. " +
                "Enrol it: opsctl tokens create, then set Agent:Enrollment:Token on the agent";
            return null;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (pki.Authority.CheckClient(certificate, now) is { } invalid)
        {
            problem = invalid + (now > certificate.NotAfter.ToUniversalTime()
                ? ". A running agent renews its certificate before it expires; one that was offline longer must enrol again with a new token (opsctl tokens create)"
                : "");
            return null;
        }

        string agentId = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        string serial = CertificateAuthority.SerialOf(certificate);
        if (certificates.Problem(serial, agentId) is { } refused)
        {
            problem = refused;
            return null;
        }

        problem = "";
        return new AgentPrincipal(agentId, serial, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeMilliseconds());
    }
}
