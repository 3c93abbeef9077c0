using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// The agent's identity towards a secure collector, kept in STATE/identity (directory 0700, files 0600):
/// <list type="bullet">
/// <item><c>agent.pem</c>: the client certificate and its private key, in one file so that a renewal replaces both
/// in one rename. The key was made on this host and never left it;</item>
/// <item><c>ca.crt</c>: the collector's CA, the only issuer the agent accepts for the collector's certificate;</item>
/// <item><c>command-key.pem</c>: the collector's command signing public key, pinned at enrolment (<see cref="PinnedCommandKey"/>).</item>
/// </list>
/// Loaded at start; replaced by enrolment and renewal, after which <see cref="Changed"/> fires so the uplink
/// reconnects with the new certificate.
/// </summary>
internal sealed partial class AgentCredentials : IDisposable
{
    public const string DirectoryName = "identity";
    public const string CertificateFile = "agent.pem";
    public const string CaFile = "ca.crt";

    private readonly ILogger<AgentCredentials> _logger;
    private readonly string _agentId;
    private readonly Lock _lock = new();
    private Loaded? _current;
    private CancellationTokenSource _changed = new();

    public AgentCredentials(IOptions<AgentOptions> options, AgentIdentity identity, ILogger<AgentCredentials> logger)
    {
        _logger = logger;
        _agentId = identity.AgentId;
        Directory = Path.Combine(options.Value.StateDirectory, DirectoryName);
        Secure = Uri.TryCreate(options.Value.CollectorUrl, UriKind.Absolute, out Uri? url) && url.Scheme == Uri.UriSchemeHttps;
        if (Secure)
        {
            _current = Load();
        }
    }

    /// <summary>True when the collector URL is https://: the agent needs an enrolled identity to connect.</summary>
    public bool Secure { get; }

    public string Directory { get; }

    public bool IsEnrolled => _current is not null;

    /// <summary>The client certificate with its private key; throws when not enrolled.</summary>
    public X509Certificate2 Certificate => (_current ?? throw NotEnrolled()).Certificate;

    /// <summary>The pinned CA; throws when not enrolled.</summary>
    public X509Certificate2 Ca => (_current ?? throw NotEnrolled()).Ca;

    /// <summary>Cancelled when the credentials are replaced (enrolment, renewal).</summary>
    public CancellationToken Changed => _changed.Token;

    /// <summary>Stores what enrolment returned and starts using it.</summary>
    public void SaveEnrollment(X509Certificate2 certificateWithKey, ECDsa key, string caPem, byte[] commandKeySpki)
    {
        StateFiles.EnsurePrivateDirectory(Directory);
        StateFiles.WritePrivate(Path.Combine(Directory, CaFile), caPem);
        StateFiles.WritePrivate(Path.Combine(Directory, PinnedCommandKey.FileName), PemEncoding.WriteString("PUBLIC KEY", commandKeySpki) + "\n");

        // Last: its presence is what "enrolled" means.
        SaveCertificate(certificateWithKey, key);
    }

    /// <summary>Stores a renewed certificate (and its new key) and starts using it.</summary>
    public void SaveCertificate(X509Certificate2 certificate, ECDsa key)
    {
        StateFiles.EnsurePrivateDirectory(Directory);
        StateFiles.WritePrivate(Path.Combine(Directory, CertificateFile), certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        Loaded loaded = Load() ?? throw new AgentIdentityException($"The identity just written to {Directory} cannot be read back; check the disk.");
        CancellationTokenSource previous;
        lock (_lock)
        {
            _current = loaded;
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }

    public void Dispose()
    {
        _changed.Dispose();
        _current?.Certificate.Dispose();
        _current?.Ca.Dispose();
    }

    /// <summary>Reads the identity files; null when the agent has not enrolled yet.</summary>
    private Loaded? Load()
    {
        string certificatePath = Path.Combine(Directory, CertificateFile);
        string caPath = Path.Combine(Directory, CaFile);
        if (!File.Exists(certificatePath))
        {
            return null;
        }

        if (StateFiles.IsExposed(certificatePath))
        {
            StateFiles.MakePrivate(certificatePath);
            LogExposed(_logger, certificatePath);
        }

        X509Certificate2 certificate;
        X509Certificate2 ca;
        try
        {
            string pem = File.ReadAllText(certificatePath);
            certificate = X509Certificate2.CreateFromPem(pem, pem);
            ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException(
                $"The agent's identity in {Directory} cannot be read ({ex.Message}). Restore it from a backup, or enrol the agent again: " +
                $"revoke the old identity (opsctl agents revoke {_agentId}), delete {Directory}, set a new Agent:Enrollment:Token and restart.", ex);
        }

        string enrolledAs = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.Equals(enrolledAs, _agentId, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"This agent is enrolled as '{enrolledAs}' ({certificatePath}) but its configured id is '{_agentId}' (Agent:AgentId). " +
                $"Remove Agent:AgentId to keep the enrolled identity, or enrol again under the new id: delete {Directory}, set a new Agent:Enrollment:Token and restart.");
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot present an ephemeral key: give it a copy through a PKCS#12 round trip.
            X509Certificate2 persisted = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
            certificate.Dispose();
            certificate = persisted;
        }

        return new Loaded(certificate, ca);
    }

    private static InvalidOperationException NotEnrolled() => new("The agent is not enrolled yet; EnrollmentService runs before the uplink connects.");

    private sealed record Loaded(X509Certificate2 Certificate, X509Certificate2 Ca);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning,
        Message = "{Path} was readable by other users; it is now mode 0600. Anyone on this host may have copied the agent's private key: if untrusted users have access, revoke this agent (opsctl agents revoke) and enrol it again.")]
    private static partial void LogExposed(ILogger logger, string path);
}
