using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpsAgent.Agent.Tests.Identity;

/// <summary>A collector-like CA made by the test, to issue the certificates the agent's identity code judges.</summary>
internal sealed class IdentityFixtures : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public IdentityFixtures()
    {
        CaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test collector CA", CaKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using X509Certificate2 ca = request.CreateSelfSigned(Now.AddDays(-10), Now.AddYears(10));
        Ca = X509CertificateLoader.LoadCertificate(ca.RawData);
    }

    public ECDsa CaKey { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Issue(string commonName, string usage, PublicKey publicKey, DateTimeOffset notBefore, DateTimeOffset notAfter, string? dnsName = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (dnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        return request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(CaKey), notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
    }

    public static PublicKey PublicKeyOf(ECDsa key) => new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey;

    public void Dispose()
    {
        CaKey.Dispose();
        Ca.Dispose();
    }
}
