using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// How the agent decides it is talking to its collector: the collector's certificate must chain to the one CA the
/// agent pinned (from its enrolment token's pin, then from its state directory), for server authentication, and name
/// the host in Agent:CollectorUrl. The machine's trust store plays no part: no public CA can vouch for a collector.
/// </summary>
internal static class CollectorTrust
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <summary>SHA-256 (hex) of a certificate's SubjectPublicKeyInfo: what an enrolment token pins.</summary>
    public static string PinOf(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>Null when <paramref name="presented"/> is a valid certificate of the collector under <paramref name="ca"/>; otherwise what is wrong.</summary>
    public static string? Check(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors, DateTimeOffset now)
    {
        if (presented is null)
        {
            return "the collector presented no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return "the collector's certificate does not name the host in Agent:CollectorUrl; use a name or address it was issued for, " +
                "or add this one to the collector's Collector:Tls:ExtraNames";
        }

        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuth));
        if (chain.Build(certificate) && chain.ChainElements.Count == 2 &&
            chain.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span))
        {
            return null;
        }

        string status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return $"the collector's certificate was not issued by the CA this agent trusts (pin {PinOf(ca)[..16]}...): {(status.Length > 0 ? status : "wrong issuer")}. " +
            "Either Agent:CollectorUrl points at another collector, or something is intercepting the connection";
    }
}
