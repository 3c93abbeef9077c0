using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpsAgent.Collector.Access;
using OpsAgent.Collector.Configuration;
using OpsAgent.Collector.Gateway;
using OpsAgent.Collector.Pki;
using OpsAgent.Collector.Storage;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Enrollment;

/// <summary>
/// Turns a single-use enrolment token and a certificate signing request into an agent identity: a client certificate
/// for the agent's own key (the private key never leaves the agent's host), the CA to verify the collector with, and
/// the command signing public key to pin. Also renews certificates for agents that still hold a valid one.
/// </summary>
internal sealed partial class EnrollmentService(
    CollectorPki pki,
    EnrollmentTokenStore tokens,
    AgentCertificateStore certificates,
    SqliteDatabase database,
    IOptions<EnrollmentOptions> options,
    IOptions<CollectorOptions> collector,
    SecurityMetrics metrics,
    TimeProvider time,
    ILogger<EnrollmentService> logger)
{
    private const int MaxCsrBytes = 8192;
    private readonly EnrollmentOptions _options = options.Value;

    public GetCaCertificateResponse GetCaCertificate() => new() { CaCertificatePem = pki.Authority.CertificatePem };

    public EnrollResponse Enroll(EnrollRequest request, string peer, CallAudit audit)
    {
        audit.ActorKind = "enrollment_token";
        audit.ActorName = Printable(request.Hostname, 253);
        try
        {
            EnrollResponse response = EnrollCore(request, peer, audit);
            metrics.Enrollment("enrolled");
            return response;
        }
        catch (RpcException ex)
        {
            metrics.Enrollment(ex.StatusCode.ToString());
            throw;
        }
    }

    public EnrollResponse Renew(RenewCertificateRequest request, AgentPrincipal agent, CallAudit audit)
    {
        try
        {
            PublicKey publicKey = ParseCsr(request.CsrDer);
            EnrollResponse response = Issue(agent.AgentId, publicKey, static (_, _) => { });
            audit.Detail = $"renewed; new certificate valid until {ApiTokenStore.Format(response.CertificateExpiresUnixMs)}";
            metrics.Enrollment("renewed");
            LogRenewed(logger, agent.AgentId, DateTimeOffset.FromUnixTimeMilliseconds(response.CertificateExpiresUnixMs).UtcDateTime);
            return response;
        }
        catch (RpcException ex)
        {
            metrics.Enrollment(ex.StatusCode.ToString());
            throw;
        }
    }

    private EnrollResponse EnrollCore(EnrollRequest request, string peer, CallAudit audit)
    {
        if (collector.Value.Insecure)
        {
            throw Fail(StatusCode.FailedPrecondition,
                "this collector runs with Collector:Insecure=true (no TLS, no agent certificates): there is nothing to enrol. Point the agent at it with an http:// URL and no token");
        }

        if (!TokenSecrets.TryParseEnrollmentToken(request.Token, out string? tokenId, out string? secret, out string? pin))
        {
            throw Fail(StatusCode.Unauthenticated,
                "the enrolment token is malformed; it looks like oe_<12 hex>_<32 hex>_<64 hex>, exactly as `opsctl tokens create` printed it");
        }

        audit.ActorId = tokenId;
        if (!string.Equals(pin, pki.Authority.Pin, StringComparison.Ordinal))
        {
            throw Fail(StatusCode.Unauthenticated,
                $"the enrolment token {tokenId} was made by another collector (its CA pin {pin[..12]}... is not this collector's {pki.Authority.Pin[..12]}...)");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        EnrollmentTokenRecord token = tokens.Find(tokenId, secret)
            ?? throw Fail(StatusCode.Unauthenticated, $"the enrolment token {tokenId} is not known to this collector");
        if (token.UsedUnixMs != 0)
        {
            throw Fail(StatusCode.Unauthenticated,
                $"the enrolment token {tokenId} was already used at {ApiTokenStore.Format(token.UsedUnixMs)} by agent {token.UsedByAgentId} ({token.UsedFrom}); tokens work once. Create a new one: opsctl tokens create");
        }

        if (token.RevokedUnixMs != 0)
        {
            throw Fail(StatusCode.Unauthenticated, $"the enrolment token {tokenId} was revoked at {ApiTokenStore.Format(token.RevokedUnixMs)}");
        }

        if (token.ExpiresUnixMs <= now)
        {
            throw Fail(StatusCode.Unauthenticated,
                $"the enrolment token {tokenId} expired at {ApiTokenStore.Format(token.ExpiresUnixMs)}; create a new one: opsctl tokens create --expires 1h");
        }

        string agentId = string.IsNullOrEmpty(request.AgentId) ? "agent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) : request.AgentId;
        if (!HelloValidator.IsValidAgentId(agentId))
        {
            throw Fail(StatusCode.InvalidArgument, "agent_id must be 1 to 64 characters from a-z, A-Z, 0-9, '-', '_' and '.' (Agent:AgentId)");
        }

        if (request.Hostname.Length > 253)
        {
            throw Fail(StatusCode.InvalidArgument, "hostname is longer than 253 characters");
        }

        PublicKey publicKey = ParseCsr(request.CsrDer);
        if (certificates.ActiveCertificateExpiry(agentId, now) is { } until)
        {
            throw Fail(StatusCode.AlreadyExists,
                $"agent id {agentId} is enrolled already, with a certificate valid until {ApiTokenStore.Format(until)}. If this is a re-installed host, " +
                $"revoke the old identity first (opsctl agents revoke {agentId}); otherwise give this agent another Agent:AgentId. The token was not used");
        }

        EnrollResponse response = Issue(agentId, publicKey, (connection, transaction) =>
        {
            if (!EnrollmentTokenStore.TryMarkUsed(connection, transaction, tokenId, agentId, peer, now))
            {
                throw Fail(StatusCode.Unauthenticated, $"the enrolment token {tokenId} was used by another agent a moment ago; tokens work once");
            }

            AgentCertificateStore.RecordEnrollment(connection, transaction, agentId, tokenId, token.Labels, now);
        });
        audit.Detail = $"agent {agentId} enrolled; certificate valid until {ApiTokenStore.Format(response.CertificateExpiresUnixMs)}";
        LogEnrolled(logger, agentId, request.Hostname, peer, tokenId);
        return response;
    }

    /// <summary>Issues a certificate and records it, together with <paramref name="alsoInTransaction"/>, in one transaction.</summary>
    private EnrollResponse Issue(string agentId, PublicKey publicKey, Action<SqliteConnection, SqliteTransaction> alsoInTransaction)
    {
        DateTimeOffset now = time.GetUtcNow();
        using X509Certificate2 certificate = pki.Authority.IssueClient(agentId, publicKey, now, _options.CertificateLifetime);
        long expires = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeMilliseconds();
        using (SqliteConnection connection = database.OpenConnection())
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            alsoInTransaction(connection, transaction);
            AgentCertificateStore.RecordIssued(connection, transaction, CertificateAuthority.SerialOf(certificate), agentId, now.ToUnixTimeMilliseconds(), expires);
            transaction.Commit();
        }

        return new EnrollResponse
        {
            AgentId = agentId,
            CertificatePem = certificate.ExportCertificatePem(),
            CaCertificatePem = pki.Authority.CertificatePem,
            CommandPublicKey = ByteString.CopyFrom(pki.CommandSigner.PublicKey.Span),
            CommandKeyId = pki.CommandSigner.KeyId,
            CertificateExpiresUnixMs = expires,
        };
    }

    /// <summary>Checks the request's signature (the agent holds the private key) and that its key is one worth certifying.</summary>
    private static PublicKey ParseCsr(ByteString der)
    {
        if (der.Length is 0 or > MaxCsrBytes)
        {
            throw Fail(StatusCode.InvalidArgument, $"csr_der must be a PKCS#10 certificate signing request of 1 to {MaxCsrBytes} bytes; got {der.Length}");
        }

        CertificateRequest csr;
        try
        {
            csr = CertificateRequest.LoadSigningRequest(der.ToByteArray(), HashAlgorithmName.SHA256);
        }
        catch (CryptographicException ex)
        {
            throw Fail(StatusCode.InvalidArgument, $"csr_der is not a valid, correctly signed PKCS#10 request: {ex.Message}");
        }

        PublicKey key = csr.PublicKey;
        switch (key.Oid.Value)
        {
            case "1.2.840.10045.2.1":
                using (ECDsa? ec = key.GetECDsaPublicKey())
                {
                    if (ec is null || ec.KeySize is not (256 or 384))
                    {
                        throw Fail(StatusCode.InvalidArgument, "the request's key must be ECDSA P-256 or P-384 (or RSA of at least 2048 bits)");
                    }
                }

                break;
            case "1.2.840.113549.1.1.1":
                using (RSA? rsa = key.GetRSAPublicKey())
                {
                    if (rsa is null || rsa.KeySize < 2048)
                    {
                        throw Fail(StatusCode.InvalidArgument, "the request's RSA key must have at least 2048 bits");
                    }
                }

                break;
            default:
                throw Fail(StatusCode.InvalidArgument, $"the request's key type {key.Oid.FriendlyName ?? key.Oid.Value} is not accepted; use ECDSA P-256");
        }

        return key;
    }

    private static RpcException Fail(StatusCode code, string detail) => new(new Status(code, detail));

    private static string Printable(string s, int max)
    {
        string cut = s.Length > max ? s[..max] : s;
        return cut.Any(char.IsControl) ? new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]) : cut;
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Agent {AgentId} ({Hostname}) enrolled from {Peer} with token {TokenId}.")]
    private static partial void LogEnrolled(ILogger logger, string agentId, string hostname, string peer, string tokenId);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Renewed the certificate of agent {AgentId}; valid until {NotAfter:u}.")]
    private static partial void LogRenewed(ILogger logger, string agentId, DateTime notAfter);
}
