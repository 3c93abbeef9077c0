using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Enrollment;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Enrollment;

public sealed class EnrollmentServiceTests : IDisposable
{
    private readonly AccessHarness _harness = new();
    private readonly EnrollmentService _service;

    public EnrollmentServiceTests()
    {
        _harness.Pki.EnsureLoaded();
        _service = _harness.Enrollment(new EnrollmentOptions { CertificateLifetime = TimeSpan.FromDays(30) });
    }

    public void Dispose() => _harness.Dispose();

    private string NewToken(IReadOnlyDictionary<string, string>? labels = null, TimeSpan? lifetime = null) =>
        _harness.EnrollmentTokens.Create(lifetime ?? TimeSpan.FromHours(1), labels ?? new Dictionary<string, string>(), "", "test", _harness.Pki.Authority.Pin).Token;

    private static EnrollRequest Request(string token, string agentId, ECDsa key) => new()
    {
        Token = token,
        AgentId = agentId,
        Hostname = "host-" + agentId,
        CsrDer = ByteString.CopyFrom(new CertificateRequest("CN=whatever", key, HashAlgorithmName.SHA256).CreateSigningRequest()),
    };

    private EnrollResponse Enroll(string token, string agentId, ECDsa? key = null)
    {
        using ECDsa own = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return _service.Enroll(Request(token, agentId, key ?? own), "ipv4:10.0.0.5:5000", new CallAudit());
    }

    [Fact]
    public void Enroll_ValidToken_CertificateForTheAgentsOwnKeyWithCaAndCommandKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var audit = new CallAudit();

        EnrollResponse response = _service.Enroll(Request(NewToken(), "web-01", key), "ipv4:10.0.0.5:5000", audit);

        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(response.CertificatePem);
        Assert.Equal("web-01", response.AgentId);
        Assert.Equal("web-01", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.True(certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()));
        Assert.Null(_harness.Pki.Authority.CheckClient(certificate, _harness.Time.GetUtcNow()));
        Assert.Equal(_harness.Pki.Authority.CertificatePem, response.CaCertificatePem);
        Assert.Equal(_harness.Pki.CommandSigner.KeyId, response.CommandKeyId);
        Assert.True(response.CommandPublicKey.Span.SequenceEqual(_harness.Pki.CommandSigner.PublicKey.Span));
        Assert.Equal(AccessHarness.Start.AddDays(30).ToUnixTimeMilliseconds(), response.CertificateExpiresUnixMs);
        Assert.Null(_harness.Certificates.Problem(certificate.SerialNumber, "web-01"));
        Assert.Equal("enrollment_token", audit.ActorKind);
        Assert.Contains("agent web-01 enrolled", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Enroll_SameTokenTwice_SecondUnauthenticatedNamingTheFirstAgent()
    {
        string token = NewToken();
        Enroll(token, "web-01");

        RpcException error = Assert.Throws<RpcException>(() => Enroll(token, "web-02"));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("was already used at 2026-03-01 12:00:00Z by agent web-01 (ipv4:10.0.0.5:5000); tokens work once", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Enroll_ExpiredOrRevokedToken_Unauthenticated()
    {
        string expiring = NewToken(lifetime: TimeSpan.FromMinutes(10));
        string revoked = NewToken();
        _harness.EnrollmentTokens.Revoke(revoked.Split('_')[1]);
        _harness.Time.Advance(TimeSpan.FromMinutes(11));

        RpcException expired = Assert.Throws<RpcException>(() => Enroll(expiring, "web-01"));
        RpcException refused = Assert.Throws<RpcException>(() => Enroll(revoked, "web-01"));

        Assert.Contains("expired at 2026-03-01 12:10:00Z", expired.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("was revoked at", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Enroll_TokenOfAnotherCollectorOrWrongSecret_Unauthenticated()
    {
        string token = NewToken();
        string[] parts = token.Split('_');
        string otherPin = string.Join('_', parts[0], parts[1], parts[2], new string('0', 64));
        string wrongSecret = string.Join('_', parts[0], parts[1], new string('f', 32), parts[3]);

        Assert.Contains("was made by another collector", Assert.Throws<RpcException>(() => Enroll(otherPin, "web-01")).Status.Detail, StringComparison.Ordinal);
        Assert.Contains("is not known to this collector", Assert.Throws<RpcException>(() => Enroll(wrongSecret, "web-01")).Status.Detail, StringComparison.Ordinal);
        Assert.Contains("is malformed", Assert.Throws<RpcException>(() => Enroll("not a token", "web-01")).Status.Detail, StringComparison.Ordinal);
        Enroll(token, "web-01"); // the real one still works
    }

    [Fact]
    public void Enroll_IdOfAnEnrolledAgent_AlreadyExistsAndTheTokenStaysUsable()
    {
        Enroll(NewToken(), "web-01");
        string token = NewToken();

        RpcException error = Assert.Throws<RpcException>(() => Enroll(token, "web-01"));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("opsctl agents revoke web-01", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("web-02", Enroll(token, "web-02").AgentId);
    }

    [Fact]
    public void Enroll_AfterRevocation_SameIdEnrolsAgainAndOldCertificateStaysRevoked()
    {
        using X509Certificate2 old = X509Certificate2.CreateFromPem(Enroll(NewToken(), "web-01").CertificatePem);
        _harness.Certificates.RevokeAgent("web-01", "re-installed", "token:x (admin)", _harness.Time.GetUtcNow().ToUnixTimeMilliseconds());

        using X509Certificate2 renewed = X509Certificate2.CreateFromPem(Enroll(NewToken(), "web-01").CertificatePem);

        Assert.Null(_harness.Certificates.Problem(renewed.SerialNumber, "web-01"));
        Assert.Contains("was revoked", _harness.Certificates.Problem(old.SerialNumber, "web-01"), StringComparison.Ordinal);
        Assert.Null(_harness.Certificates.FindRevocation("web-01"));
    }

    [Fact]
    public void Enroll_TokenWithLabels_AttachesThemToTheAgent()
    {
        Enroll(NewToken(new Dictionary<string, string> { ["env"] = "prod", ["role"] = "web" }), "web-01");

        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["role"] = "web" }, _harness.Certificates.EnrollmentLabels("web-01"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("empty")]
    [InlineData("badsignature")]
    [InlineData("weak-rsa")]
    public void Enroll_BadSigningRequest_InvalidArgumentAndTokenNotUsed(string defect)
    {
        string token = NewToken();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        EnrollRequest request = Request(token, "web-01", key);
        switch (defect)
        {
            case "garbage":
                request.CsrDer = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(300));
                break;
            case "empty":
                request.CsrDer = ByteString.Empty;
                break;
            case "badsignature":
                byte[] csr = request.CsrDer.ToByteArray();
                csr[^5] ^= 0x55;
                request.CsrDer = ByteString.CopyFrom(csr);
                break;
            default:
                using (var rsa = RSA.Create(1024))
                {
                    request.CsrDer = ByteString.CopyFrom(new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest());
                }

                break;
        }

        RpcException error = Assert.Throws<RpcException>(() => _service.Enroll(request, "peer", new CallAudit()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("web-01", Enroll(token, "web-01").AgentId);
    }

    [Fact]
    public void Renew_EnrolledAgent_NewSerialSameAgentNewKey()
    {
        using X509Certificate2 first = X509Certificate2.CreateFromPem(Enroll(NewToken(), "web-01").CertificatePem);
        _harness.Time.Advance(TimeSpan.FromDays(20));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new RenewCertificateRequest { CsrDer = ByteString.CopyFrom(new CertificateRequest("CN=evil", key, HashAlgorithmName.SHA256).CreateSigningRequest()) };

        EnrollResponse renewed = _service.Renew(csr, new AgentPrincipal("web-01", first.SerialNumber, 0), new CallAudit());

        using X509Certificate2 second = X509Certificate2.CreateFromPem(renewed.CertificatePem);
        Assert.Equal("web-01", second.GetNameInfo(X509NameType.SimpleName, false));
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.Equal(AccessHarness.Start.AddDays(50).ToUnixTimeMilliseconds(), renewed.CertificateExpiresUnixMs);
    }

    [Fact]
    public void Enroll_InsecureCollector_FailedPrecondition()
    {
        _harness.Collector.Insecure = true;

        RpcException error = Assert.Throws<RpcException>(() => Enroll(NewToken(), "web-01"));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }
}
