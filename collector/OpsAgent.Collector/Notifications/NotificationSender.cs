using System.Net.Http.Headers;
using System.Text;

namespace OpsAgent.Collector.Notifications;

/// <summary>
/// Delivers one notification to one receiver: POSTs the JSON, retries what <see cref="NotificationRetryPolicy"/> says
/// is worth retrying with its backoff (or the receiver's Retry-After), and gives up after the configured attempts.
/// Each attempt has the receiver's timeout, measured on the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class NotificationSender(
    HttpClient client,
    NotificationRetryPolicy policy,
    int maxAttempts,
    NotificationCounters counters,
    TimeProvider time,
    ILogger logger)
{
    private const int MaxBodyInLog = 300;
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>True when the receiver took it (2xx); false when it was given up (all reasons are logged and counted).</summary>
    public async Task<bool> DeliverAsync(NotificationReceiverOptions receiver, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(delivery);
        string what = $"{AlertmanagerPayload.EventName(delivery.Kind)} of incident {delivery.IncidentId}";
        for (int attempt = 1; ; attempt++)
        {
            string problem;
            TimeSpan? retryAfter = null;
            using var timeout = new CancellationTokenSource(receiver.Timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(delivery.Body) };
                request.Content.Headers.ContentType = Json;
                foreach ((string name, string value) in receiver.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    counters.SentOne(receiver.Name);
                    LogDelivered(logger, what, receiver.Name, attempt);
                    return true;
                }

                string body = await Snippet(response, linked.Token).ConfigureAwait(false);
                if (!NotificationRetryPolicy.IsRetryable(response.StatusCode))
                {
                    counters.Failed(receiver.Name, "rejected");
                    LogRejected(logger, what, receiver.Name, (int)response.StatusCode, body);
                    return false;
                }

                problem = $"HTTP {(int)response.StatusCode} {body}".TrimEnd();
                retryAfter = NotificationRetryPolicy.RetryAfter(response.Headers.RetryAfter, time.GetUtcNow());
            }
            catch (HttpRequestException ex)
            {
                problem = $"connection failed: {ex.Message}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = $"no response within {receiver.Timeout.TotalSeconds:0.###} s";
            }

            if (attempt >= maxAttempts)
            {
                counters.Failed(receiver.Name, "retries_exhausted");
                LogGaveUp(logger, what, receiver.Name, attempt, problem);
                return false;
            }

            if (retryAfter > policy.MaxRetryAfter)
            {
                counters.Failed(receiver.Name, "retry_after_too_long");
                LogRetryAfterTooLong(logger, what, receiver.Name, retryAfter.Value, policy.MaxRetryAfter);
                return false;
            }

            TimeSpan delay = retryAfter ?? policy.Backoff(attempt, Random.Shared);
            counters.Retried(receiver.Name);
            LogRetrying(logger, what, receiver.Name, attempt, problem, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> Snippet(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            string text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, MaxBodyInLog)).ReplaceLineEndings(" ").Trim();
            return bytes.Length > MaxBodyInLog ? text + "..." : text;
        }
        catch (HttpRequestException)
        {
            // The status code says enough; a body cut off by the receiver is not worth failing the attempt over.
            return "";
        }
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Debug, Message = "Notification {What} delivered to {Receiver} (attempt {Attempt}).")]
    private static partial void LogDelivered(ILogger logger, string what, string receiver, int attempt);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Notification {What} to {Receiver} failed on attempt {Attempt} ({Problem}); retrying in {Delay}.")]
    private static partial void LogRetrying(ILogger logger, string what, string receiver, int attempt, string problem, TimeSpan delay);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Notification {What} to {Receiver} was refused with HTTP {Status} and is not retried: {Body}. Check the receiver's Url and Headers (token) in Collector:Notifications.")]
    private static partial void LogRejected(ILogger logger, string what, string receiver, int status, string body);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Notification {What} to {Receiver} was given up after {Attempts} attempt(s); last problem: {Problem}. Check that the receiver is up and reachable from the collector.")]
    private static partial void LogGaveUp(ILogger logger, string what, string receiver, int attempts, string problem);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Error, Message = "Notification {What} to {Receiver} was given up: the receiver asked to retry after {RetryAfter}, longer than Collector:Notifications:MaxRetryAfter ({Max}).")]
    private static partial void LogRetryAfterTooLong(ILogger logger, string what, string receiver, TimeSpan retryAfter, TimeSpan max);
}
