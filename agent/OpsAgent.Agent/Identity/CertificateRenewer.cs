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
/// Renews the agent's certificate, with a new key, once two thirds of its lifetime have passed (10 days before the end
/// of a 30-day certificate), over mutual TLS with the current one. A failure is retried with backoff up to an hour;
/// the remaining third leaves days for a collector outage. The uplink reconnects with the new certificate.
/// </summary>
internal sealed partial class CertificateRenewer(
    IOptions<AgentOptions> options,
    AgentIdentity identity,
    AgentCredentials credentials,
    GatewayChannels channels,
    TimeProvider time,
    ILogger<CertificateRenewer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromHours(1);

    /// <summary>Never renew more often than this, whatever the certificates say (a collector issuing very short ones).</summary>
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>When a certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> is renewed.</summary>
    public static DateTimeOffset RenewalTime(DateTimeOffset notBefore, DateTimeOffset notAfter) => notBefore + ((notAfter - notBefore) * 2 / 3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!credentials.Secure)
        {
            return;
        }

        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(30), MaxSleep, Random.Shared);
        long lastRenewal = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            if (!credentials.IsEnrolled)
            {
                wait = TimeSpan.FromSeconds(30); // enrolment has not happened yet
            }
            else
            {
                X509Certificate2 current = credentials.Certificate;
                DateTimeOffset due = RenewalTime(current.NotBefore.ToUniversalTime(), current.NotAfter.ToUniversalTime());
                wait = due - time.GetUtcNow();
                TimeSpan sinceLast = lastRenewal == 0 ? MaxSleep : time.GetElapsedTime(lastRenewal);
                if (wait <= TimeSpan.Zero && sinceLast < MinInterval)
                {
                    wait = MinInterval - sinceLast;
                }
                else if (wait <= TimeSpan.Zero)
                {
                    try
                    {
                        await RenewAsync(stoppingToken).ConfigureAwait(false);
                        lastRenewal = time.GetTimestamp();
                        backoff.Reset();
                        continue;
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException or AgentIdentityException)
                    {
                        wait = backoff.Next();
                        LogFailed(logger, ex.Message, current.NotAfter.ToUniversalTime(), wait);
                    }
                }
            }

            using var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, credentials.Changed);
            try
            {
                await Task.Delay(wait < MaxSleep ? wait : MaxSleep, time, woken.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // New credentials (enrolled, or renewed elsewhere): recompute when the next renewal is due.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new RenewCertificateRequest { CsrDer = ByteString.CopyFrom(IssuedCertificate.CreateSigningRequest(identity.AgentId, key)) };
        EnrollResponse renewed;
        using (GrpcChannel channel = channels.CreateAuthenticated())
        {
            renewed = await new AgentGateway.AgentGatewayClient(channel)
                .RenewCertificateAsync(request, deadline: time.GetUtcNow().UtcDateTime + CallTimeout, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        using X509Certificate2 certificate = IssuedCertificate.Accept(renewed.CertificatePem, key, credentials.Ca, identity.AgentId, time.GetUtcNow());
        credentials.SaveCertificate(certificate, key);
        LogRenewed(logger, certificate.NotAfter.ToUniversalTime(), options.Value.CollectorUrl!);
    }

    [LoggerMessage(EventId = 1321, Level = LogLevel.Information, Message = "Renewed this agent's certificate with {Url}; the new one is valid until {NotAfter:u}.")]
    private static partial void LogRenewed(ILogger logger, DateTime notAfter, string url);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Warning,
        Message = "Could not renew this agent's certificate: {Reason}. The current one is valid until {NotAfter:u}; retrying in {Delay}.")]
    private static partial void LogFailed(ILogger logger, string reason, DateTime notAfter, TimeSpan delay);
}
