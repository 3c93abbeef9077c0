using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpsAgent.Agent.Identity;

namespace OpsAgent.Agent.Tests.Identity;

public sealed class CollectorTrustTests : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private static readonly DateTimeOffset Now = IdentityFixtures.Now;

    private readonly IdentityFixtures _fixtures = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _fixtures.Dispose();
        _key.Dispose();
    }

    private X509Certificate2 Server(DateTimeOffset notAfter, string usage = ServerAuth) =>
        _fixtures.Issue("collector", usage, IdentityFixtures.PublicKeyOf(_key), Now.AddDays(-1), notAfter, "collector.example.com");

    [Fact]
    public void Check_ServerCertificateOfThePinnedCa_Accepted()
    {
        using X509Certificate2 server = Server(Now.AddDays(30));

        // The machine does not trust the CA (chain errors): only the pinned CA counts.
        Assert.Null(CollectorTrust.Check(_fixtures.Ca, server, SslPolicyErrors.RemoteCertificateChainErrors, Now));
    }

    [Fact]
    public void Check_CertificateOfAnotherCa_RefusedSayingWhichPinWasExpected()
    {
        using var other = new IdentityFixtures();
        using X509Certificate2 server = other.Issue("collector", ServerAuth, IdentityFixtures.PublicKeyOf(_key), Now.AddDays(-1), Now.AddDays(30), "collector.example.com");

        string? problem = CollectorTrust.Check(_fixtures.Ca, server, SslPolicyErrors.RemoteCertificateChainErrors, Now);

        Assert.StartsWith($"the collector's certificate was not issued by the CA this agent trusts (pin {CollectorTrust.PinOf(_fixtures.Ca)[..16]}...)", problem, StringComparison.Ordinal);
        Assert.Contains("something is intercepting the connection", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NameMismatch_RefusedPointingAtExtraNames()
    {
        using X509Certificate2 server = Server(Now.AddDays(30));

        string? problem = CollectorTrust.Check(_fixtures.Ca, server, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors, Now);

        Assert.Contains("Collector:Tls:ExtraNames", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ExpiredOrClientCertificate_Refused()
    {
        using X509Certificate2 expired = Server(Now.AddDays(-1).AddHours(12));
        using X509Certificate2 client = Server(Now.AddDays(30), ClientAuth);

        Assert.NotNull(CollectorTrust.Check(_fixtures.Ca, expired, SslPolicyErrors.None, Now));
        Assert.NotNull(CollectorTrust.Check(_fixtures.Ca, client, SslPolicyErrors.None, Now));
        Assert.NotNull(CollectorTrust.Check(_fixtures.Ca, null, SslPolicyErrors.RemoteCertificateNotAvailable, Now));
    }

    [Fact]
    public void PinOf_IsSha256OfThePublicKeyInfo()
    {
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(_fixtures.Ca.PublicKey.ExportSubjectPublicKeyInfo())),
            CollectorTrust.PinOf(_fixtures.Ca));
    }
}
