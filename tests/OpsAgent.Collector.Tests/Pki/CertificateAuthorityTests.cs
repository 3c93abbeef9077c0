using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpsAgent.Collector.Pki;

namespace OpsAgent.Collector.Tests.Pki;

public sealed class CertificateAuthorityTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _ca = CertificateAuthority.Create(Now, TimeSpan.FromDays(3650));

    public void Dispose() => _ca.Dispose();

    private X509Certificate2 Client(string agentId, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return _ca.IssueClient(agentId, new CertificateRequest("CN=ignored", key, HashAlgorithmName.SHA256).PublicKey, Now, lifetime);
    }

    [Fact]
    public void IssueClient_SubjectIsTheGivenAgentIdAndChecksOk()
    {
        using X509Certificate2 client = Client("web-01", TimeSpan.FromDays(30));

        Assert.Equal("web-01", client.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Null(_ca.CheckClient(client, Now.AddDays(1)));
    }

    [Fact]
    public void CheckClient_AfterExpiry_SaysExpiredWithTheTime()
    {
        using X509Certificate2 client = Client("web-01", TimeSpan.FromDays(30));

        string? problem = _ca.CheckClient(client, Now.AddDays(31));

        Assert.StartsWith("the client certificate expired at 2026-03-31 12:00:00Z", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckClient_ServerCertificate_RefusedForItsPurpose()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 server = _ca.IssueServer(key, ["localhost"], [], Now, TimeSpan.FromDays(30));

        Assert.Contains("was not issued by this collector's CA for its purpose", _ca.CheckClient(server, Now), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckClient_IssuedByAnotherCa_Refused()
    {
        using CertificateAuthority other = CertificateAuthority.Create(Now, TimeSpan.FromDays(3650));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 foreign = other.IssueClient("web-01", new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey, Now, TimeSpan.FromDays(1));

        Assert.Contains("was not issued by this collector's CA", _ca.CheckClient(foreign, Now), StringComparison.Ordinal);
    }

    [Fact]
    public void IssueClient_LifetimeBeyondTheCa_ClampedToTheCasEnd()
    {
        using X509Certificate2 client = Client("web-01", TimeSpan.FromDays(5000));

        Assert.Equal(_ca.Certificate.NotAfter, client.NotAfter);
    }
}
