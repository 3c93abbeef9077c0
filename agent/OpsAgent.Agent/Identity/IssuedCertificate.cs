using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// Checks a certificate the collector issued before the agent starts using it: for this agent, for the key the agent
/// made, issued by the pinned CA for client authentication, valid now. A collector answering with anything else is
/// broken or not the collector, and nothing of its answer is stored.
/// </summary>
internal static class IssuedCertificate
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>A signing request for <paramref name="key"/> naming <paramref name="agentId"/> (the collector decides the subject anyway).</summary>
    public static byte[] CreateSigningRequest(string agentId, ECDsa key)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(agentId);
        return new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    /// <summary>The issued certificate joined with its private key; throws <see cref="AgentIdentityException"/> when it is not acceptable.</summary>
    public static X509Certificate2 Accept(string certificatePem, ECDsa key, X509Certificate2 ca, string agentId, DateTimeOffset now)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException ex)
        {
            throw new AgentIdentityException("The collector's answer holds no readable certificate: " + ex.Message, ex);
        }

        using (certificate)
        {
            string problem = Problem(certificate, key, ca, agentId, now);
            if (problem.Length > 0)
            {
                throw new AgentIdentityException($"The collector issued a certificate this agent cannot use: {problem}. Nothing was stored.");
            }

            return certificate.CopyWithPrivateKey(key);
        }
    }

    private static string Problem(X509Certificate2 certificate, ECDsa key, X509Certificate2 ca, string agentId, DateTimeOffset now)
    {
        if (!certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            return "it is not for the key this agent made";
        }

        string subject = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.Equals(subject, agentId, StringComparison.Ordinal))
        {
            return $"it names agent '{subject}', not '{agentId}'";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuth));
        return chain.Build(certificate)
            ? ""
            : "it does not chain to the pinned CA for client authentication (" + string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct()) + ")";
    }
}
