using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpsAgent.Collector.Pki;

/// <summary>
/// The pin of a certificate: SHA-256 of its SubjectPublicKeyInfo, lower-case hex (as kubeadm's
/// --discovery-token-ca-cert-hash). It survives re-issuing the certificate with the same key, and it is what an
/// enrolment token carries so that an agent can tell the real collector from a man in the middle.
/// </summary>
internal static class SpkiPin
{
    public static string Of(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public static string Of(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));
}
