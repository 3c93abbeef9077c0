using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Notifications;

/// <summary>Checks <see cref="NotificationOptions"/> at start-up and reports every problem at once, naming key and fix.</summary>
internal sealed partial class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    private const string Prefix = NotificationOptions.SectionName + ":";

    /// <summary>Headers the sender sets itself; configuring them would break the request.</summary>
    private static readonly string[] ReservedHeaders = ["Content-Type", "Content-Length", "Host", "Transfer-Encoding", "Connection"];

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>(options.BindingProblems);
        if (options.ExternalUrl.Length > 0 && !IsHttpUrl(options.ExternalUrl))
        {
            errors.Add($"{Prefix}ExternalUrl '{options.ExternalUrl}' is not an absolute http:// or https:// URL; set the collector's address as people reach it, or leave it empty.");
        }

        if (options.QueueCapacity is < 1 or > 100_000)
        {
            errors.Add($"{Prefix}QueueCapacity must be between 1 and 100000 notifications per receiver; got {options.QueueCapacity}.");
        }

        if (options.MaxAttempts is < 1 or > 20)
        {
            errors.Add($"{Prefix}MaxAttempts must be between 1 and 20; got {options.MaxAttempts}.");
        }

        if (options.InitialRetryDelay < TimeSpan.FromMilliseconds(10) || options.InitialRetryDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{Prefix}InitialRetryDelay must be between 10ms and 1m; got {options.InitialRetryDelay:c}.");
        }

        if (options.MaxRetryDelay < options.InitialRetryDelay || options.MaxRetryDelay > TimeSpan.FromHours(1))
        {
            errors.Add($"{Prefix}MaxRetryDelay must be between InitialRetryDelay ({options.InitialRetryDelay:c}) and 1h; got {options.MaxRetryDelay:c}.");
        }

        if (options.MaxRetryAfter < TimeSpan.FromSeconds(1) || options.MaxRetryAfter > TimeSpan.FromHours(1))
        {
            errors.Add($"{Prefix}MaxRetryAfter must be between 1s and 1h; got {options.MaxRetryAfter:c}.");
        }

        foreach ((string receiverName, NotificationReceiverOptions receiver) in options.Receivers)
        {
            string key = $"{Prefix}Receivers:{receiverName}";
            if (!ReceiverName().IsMatch(receiverName))
            {
                errors.Add($"{key}: the receiver name '{receiverName}' may only hold letters, digits, '.', '_' and '-' (1 to 64); rename it.");
            }

            if (!IsHttpUrl(receiver.Url))
            {
                errors.Add($"{key}:Url '{receiver.Url}' is not an absolute http:// or https:// URL; set the webhook's address, e.g. https://hooks.example.com/opsagent.");
            }

            if (receiver.Timeout < TimeSpan.FromSeconds(1) || receiver.Timeout > TimeSpan.FromMinutes(5))
            {
                errors.Add($"{key}:Timeout must be between 1s and 5m; got {receiver.Timeout:c}.");
            }

            foreach ((string header, string value) in receiver.Headers)
            {
                if (!HeaderName().IsMatch(header))
                {
                    errors.Add($"{key}:Headers: '{header}' is not a valid HTTP header name; use letters, digits and '-'.");
                }
                else if (ReservedHeaders.Contains(header, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"{key}:Headers: {header} is set by the collector itself; remove it.");
                }

                if (value.Any(c => c is '\r' or '\n' or '\0'))
                {
                    errors.Add($"{key}:Headers:{header} contains a line break; a header value must be one line.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReceiverName();

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderName();
}
