using System.Net;
using System.Security.Cryptography.X509Certificates;
using OpsAgent.Collector.Pki;

namespace OpsAgent.Collector.Tests.Pki;

public sealed class CollectorPkiTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0700 = Mode0600 | UnixFileMode.UserExecute;

    private readonly AccessHarness _harness = new(tls: t => t.ExtraNames.Add("collector.example.com"));

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void EnsureLoaded_FirstStart_CreatesCaServerAndCommandKeysPrivately()
    {
        _harness.Pki.EnsureLoaded();

        string[] files = [.. Directory.EnumerateFiles(Path.Combine(_harness.DataDirectory, "pki")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(["ca.crt", "ca.key", "command-signing.key", "command-signing.pub", "server.crt", "server.key"], files);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Mode0700, File.GetUnixFileMode(Path.Combine(_harness.DataDirectory, "pki")));
            foreach (string? file in files)
            {
                Assert.Equal(Mode0600, File.GetUnixFileMode(_harness.PkiPath(file!)));
            }
        }

        Assert.StartsWith("sha256:", _harness.Pki.CaFingerprint, StringComparison.Ordinal);
        Assert.Matches("^ck-[0-9a-f]{16}$", _harness.Pki.CommandSigner.KeyId);
    }

    [Fact]
    public void EnsureLoaded_SecondStart_LoadsTheSameIdentity()
    {
        _harness.Pki.EnsureLoaded();
        string fingerprint = _harness.Pki.CaFingerprint;
        string keyId = _harness.Pki.CommandSigner.KeyId;
        string serverPem = File.ReadAllText(_harness.PkiPath("server.crt"));

        CollectorPki again = _harness.Restart();

        Assert.Equal(fingerprint, again.CaFingerprint);
        Assert.Equal(keyId, again.CommandSigner.KeyId);
        Assert.Equal(serverPem, File.ReadAllText(_harness.PkiPath("server.crt")));
    }

    [Theory]
    [InlineData("ca.key", "the CA private key")]
    [InlineData("ca.crt", "the CA certificate")]
    [InlineData("command-signing.key", "the command signing key")]
    public void EnsureLoaded_OneIdentityFileMissing_RefusesToReplaceItAndNamesIt(string file, string what)
    {
        _harness.Pki.EnsureLoaded();
        File.Delete(_harness.PkiPath(file));

        PkiException error = Assert.Throws<PkiException>(() => _harness.Restart());

        Assert.StartsWith($"{what} ({_harness.PkiPath(file)}) is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("Creating a new one would cut off every enrolled agent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca.crt", "The collector's CA in")]
    [InlineData("ca.key", "The collector's CA in")]
    [InlineData("command-signing.key", "The command signing key")]
    public void EnsureLoaded_DamagedIdentityFile_StopsWithRestoreAdvice(string file, string start)
    {
        _harness.Pki.EnsureLoaded();
        File.WriteAllText(_harness.PkiPath(file), "-----BEGIN GARBAGE-----\nAAAA\n-----END GARBAGE-----\n");

        PkiException error = Assert.Throws<PkiException>(() => _harness.Restart());

        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains("backup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureLoaded_CaKeyOfAnotherCa_Refused()
    {
        _harness.Pki.EnsureLoaded();
        string otherKey = File.ReadAllText(_harness.PkiPath("command-signing.key")); // a valid P-256 key, not the CA's
        File.WriteAllText(_harness.PkiPath("ca.key"), otherKey);

        PkiException error = Assert.Throws<PkiException>(() => _harness.Restart());

        Assert.Contains("the private key does not belong to the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureLoaded_KeyReadableByOthers_TightenedTo0600()
    {
        _harness.Pki.EnsureLoaded();
        if (OperatingSystem.IsWindows())
        {
            return; // file modes are a Unix notion; install.ps1 sets the ACL there
        }

        File.SetUnixFileMode(_harness.PkiPath("ca.key"), Mode0600 | UnixFileMode.OtherRead);

        _harness.Restart();

        Assert.Equal(Mode0600, File.GetUnixFileMode(_harness.PkiPath("ca.key")));
    }

    [Fact]
    public void EnsureLoaded_ServerCertificate_NamesLoopbackListenersAndExtraNamesAndIsIssuedByTheCa()
    {
        _harness.Pki.EnsureLoaded();

        using X509Certificate2 server = X509Certificate2.CreateFromPem(File.ReadAllText(_harness.PkiPath("server.crt")));
        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains("collector.example.com", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Null(_harness.Pki.Authority.CheckServer(server, _harness.Time.GetUtcNow()));
    }

    [Fact]
    public void EnsureLoaded_ExtraNamesChanged_ServerCertificateReissuedCaKept()
    {
        _harness.Pki.EnsureLoaded();
        string fingerprint = _harness.Pki.CaFingerprint;
        _harness.Tls.ExtraNames.Add("10.9.8.7");

        _harness.Restart();

        using X509Certificate2 server = X509Certificate2.CreateFromPem(File.ReadAllText(_harness.PkiPath("server.crt")));
        Assert.Contains(IPAddress.Parse("10.9.8.7"), server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());
        Assert.Equal(fingerprint, _harness.Pki.CaFingerprint);
    }

    [Fact]
    public void ServerCertificate_WithinThirtyDaysOfExpiry_RenewedAtTheNextHandshake()
    {
        _harness.Pki.EnsureLoaded();
        DateTime first = _harness.Pki.ServerCertificate().TargetCertificate.NotAfter;

        _harness.Time.Advance(TimeSpan.FromDays(340));
        DateTime renewed = _harness.Pki.ServerCertificate().TargetCertificate.NotAfter;

        Assert.True(renewed > first.AddDays(300), $"{first:u} -> {renewed:u}");
    }
}
