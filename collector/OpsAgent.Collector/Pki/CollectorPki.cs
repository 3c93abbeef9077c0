using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Endpoints;

namespace OpsAgent.Collector.Pki;

/// <summary>
/// The collector's keys in DATA_DIR/pki (directory 0700, files 0600): the CA (ca.crt, ca.key), the TLS server
/// certificate of the gateway and admin listeners (server.crt, server.key) and the command signing key
/// (command-signing.key, and command-signing.pub for people). The first start creates them; later starts load them.
/// </summary>
/// <remarks>
/// The CA and the command key are the collector's identity towards its agents: they are created only when neither
/// exists, and a missing or damaged one stops the collector instead of being replaced, because a new one would cut
/// off every enrolled agent without a word. The server certificate is derived: it is re-issued whenever it is
/// missing, damaged, from another CA, for other names, or within 30 days of expiry (also while running, at the next
/// TLS handshake).
/// </remarks>
internal sealed partial class CollectorPki : IDisposable
{
    public const string DirectoryName = "pki";
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";
    public const string CommandKeyFile = "command-signing.key";
    public const string CommandPublicKeyFile = "command-signing.pub";

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan RenewServerBefore = TimeSpan.FromDays(30);

    private readonly CollectorOptions _collector;
    private readonly TlsOptions _tls;
    private readonly TimeProvider _time;
    private readonly ILogger<CollectorPki> _logger;
    private readonly Lock _lock = new();
    private CertificateAuthority? _authority;
    private CommandSigner? _commandSigner;
    private ServerNames? _names;
    private X509Certificate2? _serverCertificate;
    private SslStreamCertificateContext? _serverContext;

    public CollectorPki(IOptions<CollectorOptions> collector, IOptions<TlsOptions> tls, TimeProvider time, ILogger<CollectorPki> logger)
    {
        _collector = collector.Value;
        _tls = tls.Value;
        _time = time;
        _logger = logger;
        Directory = Path.Combine(_collector.DataDirectory, DirectoryName);
    }

    public string Directory { get; }

    public CertificateAuthority Authority => _authority ?? throw NotLoaded();

    public CommandSigner CommandSigner => _commandSigner ?? throw NotLoaded();

    /// <summary>"sha256:&lt;hex&gt;" of the CA's public key, as people compare it.</summary>
    public string CaFingerprint => "sha256:" + Authority.Pin;

    /// <summary>Loads the keys, creating them on the first start. Throws <see cref="PkiException"/> with the fix.</summary>
    public void EnsureLoaded()
    {
        lock (_lock)
        {
            if (_authority is not null)
            {
                return;
            }

            try
            {
                if (SecureFiles.EnsureDirectory(Directory) is { } loose)
                {
                    LogTightened(_logger, Directory, SecureFiles.Octal(loose), "0700");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new PkiException(
                    $"Cannot create or secure the key directory {Directory}: {ex.Message} Give the collector's user ownership of its data directory (Collector:DataDirectory).", ex);
            }

            string caCert = PathOf(CaCertificateFile);
            string caKey = PathOf(CaKeyFile);
            string commandKey = PathOf(CommandKeyFile);
            bool anyIdentity = File.Exists(caCert) || File.Exists(caKey) || File.Exists(commandKey);
            if (!anyIdentity)
            {
                CreateIdentity();
            }
            else
            {
                LoadIdentity();
            }

            _names = ServerNames.For(TlsListeners(), _tls.ExtraNames);
            LoadOrIssueServerCertificate();
        }
    }

    /// <summary>
    /// The server certificate with its CA for TLS handshakes. Re-issued here, once, when it is about to expire, so a
    /// collector that runs for a year never serves an expired certificate.
    /// </summary>
    public SslStreamCertificateContext ServerCertificate()
    {
        SslStreamCertificateContext? context = _serverContext;
        X509Certificate2? certificate = _serverCertificate;
        if (context is null || certificate is null)
        {
            throw NotLoaded();
        }

        if (certificate.NotAfter.ToUniversalTime() - _time.GetUtcNow() > RenewServerBefore)
        {
            return context;
        }

        lock (_lock)
        {
            if (_serverCertificate!.NotAfter.ToUniversalTime() - _time.GetUtcNow() <= RenewServerBefore)
            {
                try
                {
                    IssueServerCertificate("it expires within 30 days");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
                {
                    // Keep serving the old one: the next handshake tries again, and the log says why it failed.
                    LogRenewalFailed(_logger, ex, PathOf(ServerCertificateFile));
                }
            }

            return _serverContext!;
        }
    }

    public void Dispose()
    {
        _authority?.Dispose();
        _commandSigner?.Dispose();
        _serverCertificate?.Dispose();
    }

    private void CreateIdentity()
    {
        DateTimeOffset now = _time.GetUtcNow();
        CertificateAuthority authority = CertificateAuthority.Create(now, CaLifetime);
        CommandSigner signer = CommandSigner.Create();
        try
        {
            // Keys before certificates: a crash in between leaves a key without its certificate, which the next start
            // reports, instead of a certificate whose key is lost.
            Write(CaKeyFile, authority.ExportKeyPem());
            Write(CaCertificateFile, authority.CertificatePem);
            Write(CommandKeyFile, signer.ExportKeyPem());
            Write(CommandPublicKeyFile, signer.ExportPublicKeyPem());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            authority.Dispose();
            signer.Dispose();
            throw new PkiException($"Cannot write the collector's new keys to {Directory}: {ex.Message} Check the disk and the directory's owner.", ex);
        }

        _authority = authority;
        _commandSigner = signer;
        LogCreated(_logger, Directory, CaFingerprint, signer.KeyId);
    }

    private void LoadIdentity()
    {
        string caCertPem = ReadRequired(CaCertificateFile, "the CA certificate");
        string caKeyPem = ReadRequired(CaKeyFile, "the CA private key");
        string commandKeyPem = ReadRequired(CommandKeyFile, "the command signing key");
        try
        {
            _authority = CertificateAuthority.Load(caCertPem, caKeyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new PkiException(
                $"The collector's CA in {PathOf(CaCertificateFile)} and {PathOf(CaKeyFile)} is damaged ({ex.Message}). Restore both files from a backup. " +
                $"Only if there is none: move {Directory} aside and restart, which creates a new CA and command key, after which every agent must enrol again.", ex);
        }

        try
        {
            _commandSigner = CommandSigner.Load(commandKeyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new PkiException(
                $"The command signing key {PathOf(CommandKeyFile)} is damaged ({ex.Message}). Restore it from a backup: agents pinned its public key at enrolment " +
                "and reject commands signed by any other key.", ex);
        }

        if (!File.Exists(PathOf(CommandPublicKeyFile)))
        {
            Write(CommandPublicKeyFile, _commandSigner.ExportPublicKeyPem());
        }

        LogLoaded(_logger, Directory, CaFingerprint, _commandSigner.KeyId);
    }

    private string ReadRequired(string file, string what)
    {
        string path = PathOf(file);
        if (!File.Exists(path))
        {
            throw new PkiException(
                $"{what} ({path}) is missing, but other keys of this collector exist in {Directory}. Restore it from a backup. Creating a new one would cut off " +
                $"every enrolled agent; if that is what you want, move {Directory} aside and restart, then enrol every agent again.");
        }

        if (SecureFiles.Tighten(path, SecureFiles.PrivateFileMode) is { } loose)
        {
            LogTightened(_logger, path, SecureFiles.Octal(loose), "0600");
        }

        return SecureFiles.ReadAllText(path, what);
    }

    private void LoadOrIssueServerCertificate()
    {
        string certPath = PathOf(ServerCertificateFile);
        string keyPath = PathOf(ServerKeyFile);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            IssueServerCertificate("there is none yet");
            return;
        }

        X509Certificate2 loaded;
        try
        {
            SecureFiles.Tighten(keyPath, SecureFiles.PrivateFileMode);
            loaded = X509Certificate2.CreateFromPem(SecureFiles.ReadAllText(certPath, "the server certificate"), SecureFiles.ReadAllText(keyPath, "the server key"));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            IssueServerCertificate($"the files could not be read ({ex.Message})");
            return;
        }

        string? reason = null;
        if (Authority.CheckServer(loaded, _time.GetUtcNow()) is { } problem)
        {
            reason = problem;
        }
        else if (!_names!.Matches(loaded))
        {
            reason = "the collector's addresses or Collector:Tls:ExtraNames changed";
        }
        else if (loaded.NotAfter.ToUniversalTime() - _time.GetUtcNow() <= RenewServerBefore)
        {
            reason = "it expires within 30 days";
        }

        if (reason is not null)
        {
            loaded.Dispose();
            IssueServerCertificate(reason);
            return;
        }

        UseServerCertificate(loaded);
    }

    private void IssueServerCertificate(string reason)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        X509Certificate2 issued = Authority.IssueServer(key, _names!.DnsNames, _names.Addresses, _time.GetUtcNow(), _tls.ServerCertificateLifetime);
        try
        {
            Write(ServerKeyFile, key.ExportPkcs8PrivateKeyPem());
            Write(ServerCertificateFile, issued.ExportCertificatePem());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            issued.Dispose();
            throw new PkiException($"Cannot write the server certificate to {Directory}: {ex.Message} Check the disk and the directory's owner.", ex);
        }

        LogServerIssued(_logger, reason, string.Join(", ", _names.DnsNames.Concat(_names.Addresses.Select(a => a.ToString()))), issued.NotAfter.ToUniversalTime());
        UseServerCertificate(issued);
    }

    private void UseServerCertificate(X509Certificate2 certificate)
    {
        // Windows' TLS stack (SChannel) cannot use an ephemeral key: give it a copy through a PKCS#12 round trip.
        X509Certificate2 usable = OperatingSystem.IsWindows()
            ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null)
            : certificate;
        var context = SslStreamCertificateContext.Create(usable, [Authority.Certificate], offline: true);
        X509Certificate2? previous = _serverCertificate;
        _serverCertificate = usable;
        _serverContext = context;
        if (!ReferenceEquals(usable, certificate))
        {
            certificate.Dispose();
        }

        // The previous certificate may still be in use by a handshake in progress; it goes with the garbage collector.
        _ = previous;
    }

    private IEnumerable<ListenAddress> TlsListeners()
    {
        foreach (string url in (string[])[_collector.Endpoints.Gateway, _collector.Endpoints.Admin, _collector.Endpoints.Metrics])
        {
            if (ListenAddress.TryParse(url, out ListenAddress? address, out _) && address.Tls)
            {
                yield return address;
            }
        }
    }

    private void Write(string file, string content) => SecureFiles.WriteAllText(PathOf(file), content);

    private string PathOf(string file) => Path.Combine(Directory, file);

    private static InvalidOperationException NotLoaded() =>
        new("The collector's keys are not loaded yet; CollectorPki.EnsureLoaded runs at start-up before the listeners open.");

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning,
        Message = "The CA and command signing key were created in {Directory}. CA fingerprint {Fingerprint}, command key {KeyId}. Back this directory up: losing it means enrolling every agent again.")]
    private static partial void LogCreated(ILogger logger, string directory, string fingerprint, string keyId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Loaded the collector's keys from {Directory}: CA fingerprint {Fingerprint}, command key {KeyId}.")]
    private static partial void LogLoaded(ILogger logger, string directory, string fingerprint, string keyId);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Issued a new server certificate because {Reason}; names: {Names}; valid until {NotAfter:u}.")]
    private static partial void LogServerIssued(ILogger logger, string reason, string names, DateTime notAfter);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning,
        Message = "{Path} was accessible to other users (mode {Mode}); it is now {Wanted}. Anyone on this host may have copied it: if untrusted users have access, treat the keys as leaked.")]
    private static partial void LogTightened(ILogger logger, string path, string mode, string wanted);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Error, Message = "Could not renew the server certificate {Path}; the current one stays in use until it expires. Check the disk and permissions.")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string path);
}
