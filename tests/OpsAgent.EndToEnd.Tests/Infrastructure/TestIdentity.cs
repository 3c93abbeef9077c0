using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using OpsAgent.Protocol;

namespace OpsAgent.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Client identities for tests that speak the gateway protocol themselves: enrolled the real way (a token, a key made
/// here, a signing request), or forged (expired, from another CA) to see the collector refuse them.
/// </summary>
internal static class TestIdentity
{
    /// <summary>Enrols <paramref name="agentId"/> with a new token (or <paramref name="token"/>); returns the certificate with its key.</summary>
    public static async Task<X509Certificate2> EnrollAsync(CollectorProcess collector, string agentId, string? token = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        EnrollResponse enrolled = await collector.Gateway.EnrollAsync(
            Request(agentId, token ?? await collector.CreateEnrollmentTokenAsync().ConfigureAwait(false), key),
            deadline: DateTime.UtcNow.AddSeconds(30),
            cancellationToken: TestContext.Current.CancellationToken).ConfigureAwait(false);
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(enrolled.CertificatePem);
        return certificate.CopyWithPrivateKey(key);
    }

    public static EnrollRequest Request(string agentId, string token, ECDsa key)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(agentId);
        byte[] csr = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequest();
        return new EnrollRequest { Token = token, AgentId = agentId, Hostname = "test-" + agentId, CsrDer = ByteString.CopyFrom(csr) };
    }

    /// <summary>A client certificate for <paramref name="agentId"/> signed with the collector's own CA key, valid when the test says.</summary>
    public static X509Certificate2 SignedByCollectorCa(CollectorProcess collector, string agentId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        string pki = Path.Combine(collector.DataDirectory, "pki");
        using X509Certificate2 ca = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "ca.crt"), Path.Combine(pki, "ca.key"));
        using ECDsa caKey = ca.GetECDsaPrivateKey()!;
        return Client(agentId, ca.SubjectName, caKey, notBefore, notAfter);
    }

    /// <summary>A client certificate for <paramref name="agentId"/> from a CA the test made: not the collector's.</summary>
    public static X509Certificate2 FromAnotherCa(string agentId)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Client(agentId, new X500DistinguishedName("CN=Someone else's CA"), caKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Client(string agentId, X500DistinguishedName issuer, ECDsa issuerKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(agentId);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = 0x42;

        // A signature generator rather than the issuer certificate: the test may want validity outside the issuer's.
        using X509Certificate2 issued = request.Create(issuer, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
