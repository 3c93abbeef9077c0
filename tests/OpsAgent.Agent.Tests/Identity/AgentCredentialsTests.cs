using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Identity;

namespace OpsAgent.Agent.Tests.Identity;

public sealed class AgentCredentialsTests : IDisposable
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDirectory _dir = new();
    private readonly IdentityFixtures _fixtures = new();

    public void Dispose()
    {
        _dir.Dispose();
        _fixtures.Dispose();
    }

    private AgentCredentials Credentials(string agentId = "web-01", string url = "https://collector.example.com:7400")
    {
        var options = Options.Create(new AgentOptions { CollectorUrl = url, StateDirectory = _dir.Path, AgentId = agentId });
        return new AgentCredentials(options, new AgentIdentity(options), NullLogger<AgentCredentials>.Instance);
    }

    private (X509Certificate2 Certificate, ECDsa Key) Issue(string agentId)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 issued = _fixtures.Issue(agentId, ClientAuth, IdentityFixtures.PublicKeyOf(key), IdentityFixtures.Now, IdentityFixtures.Now.AddDays(30));
        return (issued.CopyWithPrivateKey(key), key);
    }

    [Fact]
    public void SaveEnrollment_ThenRestart_LoadsTheSameIdentityFromPrivateFiles()
    {
        (X509Certificate2 certificate, ECDsa key) = Issue("web-01");
        string serial = certificate.SerialNumber;
        using (certificate)
        using (key)
        using (AgentCredentials credentials = Credentials())
        {
            Assert.False(credentials.IsEnrolled);
            credentials.SaveEnrollment(certificate, key, _fixtures.Ca.ExportCertificatePem(), key.ExportSubjectPublicKeyInfo());
        }

        using AgentCredentials restarted = Credentials();

        Assert.True(restarted.IsEnrolled);
        Assert.Equal(serial, restarted.Certificate.SerialNumber);
        Assert.True(restarted.Certificate.HasPrivateKey);
        Assert.Equal(_fixtures.Ca.Thumbprint, restarted.Ca.Thumbprint);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Mode0600 | UnixFileMode.UserExecute, File.GetUnixFileMode(restarted.Directory));
            foreach (string file in Directory.EnumerateFiles(restarted.Directory))
            {
                Assert.Equal(Mode0600, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public void SaveCertificate_Renewal_FiresChangedAndUsesTheNewOne()
    {
        (X509Certificate2 first, ECDsa firstKey) = Issue("web-01");
        (X509Certificate2 second, ECDsa secondKey) = Issue("web-01");
        using (first)
        using (firstKey)
        using (second)
        using (secondKey)
        {
            using AgentCredentials credentials = Credentials();
            credentials.SaveEnrollment(first, firstKey, _fixtures.Ca.ExportCertificatePem(), firstKey.ExportSubjectPublicKeyInfo());
            CancellationToken before = credentials.Changed;

            credentials.SaveCertificate(second, secondKey);

            Assert.True(before.IsCancellationRequested);
            Assert.False(credentials.Changed.IsCancellationRequested);
            Assert.Equal(second.SerialNumber, credentials.Certificate.SerialNumber);
        }
    }

    [Fact]
    public void Load_EnrolledUnderAnotherId_RefusedNamingBothIds()
    {
        (X509Certificate2 certificate, ECDsa key) = Issue("web-01");
        using (certificate)
        using (key)
        using (AgentCredentials credentials = Credentials())
        {
            credentials.SaveEnrollment(certificate, key, _fixtures.Ca.ExportCertificatePem(), key.ExportSubjectPublicKeyInfo());
        }

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => Credentials(agentId: "web-02"));

        Assert.Contains("enrolled as 'web-01'", error.Message, StringComparison.Ordinal);
        Assert.Contains("configured id is 'web-02' (Agent:AgentId)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DamagedCertificateFile_InvalidDataWithTheWayBack()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, AgentCredentials.DirectoryName));
        File.WriteAllText(Path.Combine(_dir.Path, AgentCredentials.DirectoryName, AgentCredentials.CertificateFile), "garbage");

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => Credentials());

        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
        Assert.Contains("opsctl agents revoke web-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InsecureCollector_NeitherLoadsNorNeedsAnIdentity()
    {
        using AgentCredentials credentials = Credentials(url: "http://127.0.0.1:7400");

        Assert.False(credentials.Secure);
        Assert.False(credentials.IsEnrolled);
    }
}
