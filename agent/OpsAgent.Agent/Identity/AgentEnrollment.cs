using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;
using OpsAgent.Agent.Uplink;
using OpsAgent.Protocol;

namespace OpsAgent.Agent.Identity;

/// <summary>
/// Makes an agent that talks to a secure collector enrolled before its uplink connects. With a token (Agent:Enrollment):
/// <list type="number">
/// <item>fetch the collector's CA over a TLS connection that verifies nothing, and compare its public key with the pin
/// in the token: a mismatch stops here, and the token is never sent;</item>
/// <item>make a key pair on this host and a signing request for this agent's id;</item>
/// <item>send the token and the request over a new connection that trusts only that CA;</item>
/// <item>check the answer (<see cref="IssuedCertificate"/>) and store certificate, key, CA and command key.</item>
/// </list>
/// A collector that cannot be reached is retried with backoff; a token the collector refuses (used, expired, revoked,
/// from another collector) stops the agent with exit code 78 and the collector's reason.
/// </summary>
internal sealed partial class AgentEnrollment(
    IOptions<AgentOptions> options,
    AgentIdentity identity,
    AgentCredentials credentials,
    GatewayChannels channels,
    TimeProvider time,
    ILogger<AgentEnrollment> logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly AgentOptions _options = options.Value;

    public async Task EnsureEnrolledAsync(CancellationToken cancellationToken)
    {
        if (!credentials.Secure)
        {
            if (!string.IsNullOrWhiteSpace(_options.Enrollment.Token) || !string.IsNullOrWhiteSpace(_options.Enrollment.TokenFile))
            {
                LogTokenIgnored(logger, _options.CollectorUrl!);
            }

            return;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (credentials.IsEnrolled && credentials.Certificate.NotAfter.ToUniversalTime() > now)
        {
            return;
        }

        string where = string.IsNullOrWhiteSpace(_options.Enrollment.TokenFile)
            ? "Agent:Enrollment:Token (or Agent:Enrollment:TokenFile, or the environment variable OPSAGENT_Agent__Enrollment__Token)"
            : $"the file {_options.Enrollment.TokenFile} (Agent:Enrollment:TokenFile, mode 0600), or Agent:Enrollment:Token";
        EnrollmentToken token = ReadToken() ?? throw new AgentIdentityException(credentials.IsEnrolled
            ? $"This agent's certificate expired at {credentials.Certificate.NotAfter.ToUniversalTime():u} (it was offline too long to renew it) and it has no new enrolment token. " +
              $"On the collector run `opsctl tokens create --expires 1h`, put the token in {where} and restart the agent."
            : $"This agent is not enrolled with the collector at {_options.CollectorUrl} and has no enrolment token. On the collector run `opsctl tokens create --expires 1h`, " +
              $"put the token in {where} and restart the agent.");

        var backoff = new ExponentialBackoff(_options.Uplink.ReconnectMinDelay, _options.Uplink.ReconnectMaxDelay, Random.Shared);
        while (true)
        {
            string failure;
            try
            {
                await EnrollOnceAsync(token, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted
                or StatusCode.Internal or StatusCode.Unknown || (ex.StatusCode == StatusCode.Cancelled && !cancellationToken.IsCancellationRequested))
            {
                failure = $"{ex.StatusCode}: {ex.Status.Detail}";
            }
            catch (RpcException ex)
            {
                throw new AgentIdentityException(
                    $"The collector at {_options.CollectorUrl} refused to enrol this agent ({ex.StatusCode}): {ex.Status.Detail}", ex);
            }
            catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
            {
                throw new AgentIdentityException(
                    $"The collector at {_options.CollectorUrl} sent its CA (which matches the token) but then presented a certificate that CA did not issue, " +
                    "so the token was not sent. Something between this host and the collector may be intercepting connections; see the warning above.", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                failure = ex.Message;
            }

            TimeSpan delay = backoff.Next();
            LogRetry(logger, _options.CollectorUrl!, failure, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnrollOnceAsync(EnrollmentToken token, CancellationToken cancellationToken)
    {
        X509Certificate2 ca;
        using (GrpcChannel unverified = channels.CreateUnverified())
        {
            GetCaCertificateResponse answer = await new AgentGateway.AgentGatewayClient(unverified)
                .GetCaCertificateAsync(new GetCaCertificateRequest(), deadline: Deadline(), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            try
            {
                ca = X509Certificate2.CreateFromPem(answer.CaCertificatePem);
            }
            catch (CryptographicException ex)
            {
                throw new AgentIdentityException($"The collector at {_options.CollectorUrl} answered with no readable CA certificate: {ex.Message}", ex);
            }
        }

        using (ca)
        {
            string pin = CollectorTrust.PinOf(ca);
            if (!string.Equals(pin, token.Pin, StringComparison.Ordinal))
            {
                throw new AgentIdentityException(
                    $"The collector at {_options.CollectorUrl} presented a CA with fingerprint sha256:{pin}, but the enrolment token {token.Id} expects sha256:{token.Pin}. " +
                    "Either Agent:CollectorUrl points at another collector than the one that made the token, or something is intercepting the connection. The token was not sent.");
            }

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new EnrollRequest
            {
                Token = token.Value,
                AgentId = identity.AgentId,
                Hostname = identity.Hostname,
                CsrDer = ByteString.CopyFrom(IssuedCertificate.CreateSigningRequest(identity.AgentId, key)),
            };
            request.Labels.Add(_options.Labels);

            EnrollResponse enrolled;
            using (GrpcChannel verified = channels.CreateVerified(ca))
            {
                enrolled = await new AgentGateway.AgentGatewayClient(verified)
                    .EnrollAsync(request, deadline: Deadline(), cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }

            using X509Certificate2 certificate = IssuedCertificate.Accept(enrolled.CertificatePem, key, ca, identity.AgentId, time.GetUtcNow());
            byte[] commandKey = enrolled.CommandPublicKey.ToByteArray();
            using (PinnedCommandKey pinned = Pinned(commandKey))
            {
                if (!string.Equals(pinned.KeyId, enrolled.CommandKeyId, StringComparison.Ordinal))
                {
                    throw new AgentIdentityException(
                        $"The collector's command key id {enrolled.CommandKeyId} does not match its key ({pinned.KeyId}); nothing was stored. The collector is broken or not the collector.");
                }

                credentials.SaveEnrollment(certificate, key, ca.ExportCertificatePem() + "\n", commandKey);
                LogEnrolled(logger, identity.AgentId, _options.CollectorUrl!, certificate.NotAfter.ToUniversalTime(), pinned.KeyId, credentials.Directory);
            }
        }
    }

    private static PinnedCommandKey Pinned(byte[] commandKey)
    {
        try
        {
            return PinnedCommandKey.FromSubjectPublicKeyInfo(commandKey);
        }
        catch (InvalidDataException ex)
        {
            throw new AgentIdentityException("The collector's command signing key is unusable: " + ex.Message + ". Nothing was stored.", ex);
        }
    }

    private EnrollmentToken? ReadToken()
    {
        string? text = _options.Enrollment.Token;
        string source = "Agent:Enrollment:Token";
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(_options.Enrollment.TokenFile) && File.Exists(_options.Enrollment.TokenFile))
        {
            source = _options.Enrollment.TokenFile;
            try
            {
                text = File.ReadAllText(_options.Enrollment.TokenFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new AgentIdentityException(
                    $"Cannot read the enrolment token file {_options.Enrollment.TokenFile} (Agent:Enrollment:TokenFile): {ex.Message}", ex);
            }
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return EnrollmentToken.TryParse(text, out EnrollmentToken? token)
            ? token
            : throw new AgentIdentityException(
                $"{source} does not hold an enrolment token; paste it exactly as `opsctl tokens create` printed it (oe_ followed by three groups of hex digits).");
    }

    private DateTime Deadline() => time.GetUtcNow().UtcDateTime + CallTimeout;

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information,
        Message = "Enrolled as agent {AgentId} with the collector at {Url}; certificate valid until {NotAfter:u}, command key {KeyId} pinned. Identity stored in {Directory}; the enrolment token is used up and may be removed from the configuration.")]
    private static partial void LogEnrolled(ILogger logger, string agentId, string url, DateTime notAfter, string keyId, string directory);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Warning, Message = "Could not enrol with the collector at {Url}: {Reason}. Retrying in {Delay}.")]
    private static partial void LogRetry(ILogger logger, string url, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Warning,
        Message = "An enrolment token is configured, but the collector URL {Url} is plain HTTP (a collector in insecure mode, for tests): the token is not used.")]
    private static partial void LogTokenIgnored(ILogger logger, string url);
}
