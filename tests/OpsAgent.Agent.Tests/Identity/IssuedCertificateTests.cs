using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpsAgent.Agent.Identity;

namespace OpsAgent.Agent.Tests.Identity;

public sealed class IssuedCertificateTests : IDisposable
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private readonly IdentityFixtures _fixtures = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _fixtures.Dispose();
        _key.Dispose();
    }

    private string Pem(string agentId, ECDsa key, IdentityFixtures? issuer = null)
    {
        using X509Certificate2 issued = (issuer ?? _fixtures).Issue(
            agentId, ClientAuth, IdentityFixtures.PublicKeyOf(key), IdentityFixtures.Now.AddMinutes(-5), IdentityFixtures.Now.AddDays(30));
        return issued.ExportCertificatePem();
    }

    [Fact]
    public void Accept_ForThisAgentAndKeyFromThePinnedCa_JoinedWithTheKey()
    {
        using X509Certificate2 accepted = IssuedCertificate.Accept(Pem("web-01", _key), _key, _fixtures.Ca, "web-01", IdentityFixtures.Now);

        Assert.True(accepted.HasPrivateKey);
    }

    [Fact]
    public void Accept_AnotherAgentAnotherKeyOrAnotherCa_RefusedAndNothingReturned()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherCa = new IdentityFixtures();

        Assert.Contains("names agent 'db-01'", Assert.Throws<AgentIdentityException>(() =>
            IssuedCertificate.Accept(Pem("db-01", _key), _key, _fixtures.Ca, "web-01", IdentityFixtures.Now)).Message, StringComparison.Ordinal);
        Assert.Contains("not for the key this agent made", Assert.Throws<AgentIdentityException>(() =>
            IssuedCertificate.Accept(Pem("web-01", otherKey), _key, _fixtures.Ca, "web-01", IdentityFixtures.Now)).Message, StringComparison.Ordinal);
        Assert.Contains("does not chain to the pinned CA", Assert.Throws<AgentIdentityException>(() =>
            IssuedCertificate.Accept(Pem("web-01", _key, otherCa), _key, _fixtures.Ca, "web-01", IdentityFixtures.Now)).Message, StringComparison.Ordinal);
        Assert.Contains("no readable certificate", Assert.Throws<AgentIdentityException>(() =>
            IssuedCertificate.Accept("nothing", _key, _fixtures.Ca, "web-01", IdentityFixtures.Now)).Message, StringComparison.Ordinal);
    }
}
