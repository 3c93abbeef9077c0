using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpsAgent.Collector.Pki;

/// <summary>
/// The collector's certificate authority: an ECDSA P-256 key and a self-signed certificate (path length 0: it signs
/// only end-entity certificates). It issues the collector's server certificate and every agent's client certificate,
/// and checks client certificates. Agents pin its public key at enrolment.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>Certificates are valid from a little before they are made, so a peer whose clock lags accepts them.</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
        Pin = SpkiPin.Of(certificate);
        CertificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>The CA certificate, without its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    /// <summary>SHA-256 of the CA's public key (hex), the pin enrolment tokens carry.</summary>
    public string Pin { get; }

    public static CertificateAuthority Create(DateTimeOffset now, TimeSpan lifetime)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var request = new CertificateRequest($"CN=OpsAgent collector CA {id}, O=OpsAgent", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using X509Certificate2 withKey = request.CreateSelfSigned(now - Backdate, now + lifetime);
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(withKey.RawData), key);
    }

    /// <summary>Loads a CA from its PEM files; throws <see cref="CryptographicException"/> or <see cref="ArgumentException"/> on damage.</summary>
    public static CertificateAuthority Load(string certificatePem, string keyPem)
    {
        X509Certificate2 certificate = X509Certificate2.CreateFromPem(certificatePem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(keyPem);
            if (!certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new CryptographicException("the private key does not belong to the certificate");
            }

            if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            {
                throw new CryptographicException("the certificate is not a CA certificate");
            }
        }
        catch
        {
            key.Dispose();
            certificate.Dispose();
            throw;
        }

        return new CertificateAuthority(certificate, key);
    }

    public string ExportKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Issues the collector's TLS server certificate for a key the collector made.</summary>
    public X509Certificate2 IssueServer(ECDsa subjectKey, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> addresses, DateTimeOffset now, TimeSpan lifetime)
    {
        var request = new CertificateRequest($"CN={dnsNames.FirstOrDefault() ?? "opsagent-collector"}, O=OpsAgent", subjectKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (IPAddress address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build(false));
        AddEndEntityExtensions(request, ServerAuth);
        using X509Certificate2 issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now - Backdate, Clamp(now + lifetime), NewSerial());
        return issued.CopyWithPrivateKey(subjectKey);
    }

    /// <summary>
    /// Issues an agent's client certificate for the public key of a certificate signing request whose signature has
    /// been checked. The subject is the agent id the collector decided, never what the request asked for.
    /// </summary>
    public X509Certificate2 IssueClient(string agentId, PublicKey publicKey, DateTimeOffset now, TimeSpan lifetime)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("OpsAgent agents");
        subject.AddCommonName(agentId);
        var request = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        AddEndEntityExtensions(request, ClientAuth);

        // Backdated for clock skew, but by no more than a tenth of the lifetime: agents renew at two thirds of the span
        // they see, and a short-lived certificate backdated by minutes would look due for renewal the moment it arrives.
        TimeSpan backdate = lifetime / 10 < Backdate ? lifetime / 10 : Backdate;
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now - backdate, Clamp(now + lifetime), NewSerial());
    }

    /// <summary>
    /// Checks that a client certificate was issued by this CA for client authentication and is valid at
    /// <paramref name="now"/>; returns what is wrong, or null.
    /// </summary>
    public string? CheckClient(X509Certificate2 certificate, DateTimeOffset now) => Check(certificate, now, ClientAuth, "client certificate");

    /// <summary>Checks that a server certificate was issued by this CA for server authentication and is valid now.</summary>
    public string? CheckServer(X509Certificate2 certificate, DateTimeOffset now) => Check(certificate, now, ServerAuth, "server certificate");

    private string? Check(X509Certificate2 certificate, DateTimeOffset now, string usage, string what)
    {
        if (now > certificate.NotAfter.ToUniversalTime())
        {
            return $"the {what} expired at {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z";
        }

        if (now < certificate.NotBefore.ToUniversalTime())
        {
            return $"the {what} is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z; check the clocks of both hosts (NTP)";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        if (!chain.Build(certificate) || chain.ChainElements.Count != 2 ||
            !chain.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span))
        {
            string status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return $"the {what} was not issued by this collector's CA for its purpose ({(status.Length > 0 ? status : "wrong issuer")})";
        }

        return null;
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private void AddEndEntityExtensions(CertificateRequest request, string usage)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
    }

    /// <summary>An issued certificate never outlives the CA that vouches for it.</summary>
    private DateTimeOffset Clamp(DateTimeOffset notAfter)
    {
        DateTimeOffset caEnd = Certificate.NotAfter.ToUniversalTime();
        return notAfter < caEnd ? notAfter : caEnd;
    }

    /// <summary>16 random bytes, positive as DER integers must be for a serial number.</summary>
    private static byte[] NewSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    /// <summary>The serial number as the collector records it: upper-case hex, as <see cref="X509Certificate2.SerialNumber"/> prints it.</summary>
    public static string SerialOf(X509Certificate2 certificate) => certificate.SerialNumber;
}
