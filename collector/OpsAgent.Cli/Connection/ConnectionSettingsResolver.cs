using System.Net;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Connection;

/// <summary>
/// Decides where the collector is and which credentials to send: the command line wins over the environment,
/// the environment over the built-in default.
/// </summary>
internal static class ConnectionSettingsResolver
{
    public const string DefaultCollector = "http://127.0.0.1:7401";
    public const string CollectorVariable = "OPSAGENT_COLLECTOR";
    public const string TokenVariable = "OPSAGENT_TOKEN";

    public static ConnectionSettings Resolve(string? collectorOption, TimeSpan timeout, Func<string, string?> getEnvironmentVariable)
    {
        var (text, source) = !string.IsNullOrWhiteSpace(collectorOption)
            ? (collectorOption.Trim(), "--collector")
            : getEnvironmentVariable(CollectorVariable) is { Length: > 0 } fromEnvironment
                ? (fromEnvironment.Trim(), CollectorVariable)
                : (DefaultCollector, "default");

        var collector = ParseCollectorUrl(text, source);

        // Issue 4 adds a config file (~/.config/opsagent/opsctl.json) as a second source of the token,
        // read here after the environment variable.
        var token = getEnvironmentVariable(TokenVariable) is { Length: > 0 } t ? t.Trim() : null;

        if (token is not null && collector.Scheme == Uri.UriSchemeHttp && !IsLoopback(collector))
        {
            throw CliException.Usage(
                $"refusing to send the API token from {TokenVariable} in clear text to {collector.GetLeftPart(UriPartial.Authority)}. " +
                "Use an https:// collector URL, or unset the token for a collector that needs none.");
        }

        return new ConnectionSettings(collector, source, token, timeout);
    }

    private static Uri ParseCollectorUrl(string text, string source)
    {
        var hasScheme = text.Contains("://", StringComparison.Ordinal);
        if (hasScheme
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host))
        {
            return uri;
        }

        var suggestion = hasScheme ? DefaultCollector : "http://" + text;
        throw CliException.Usage(
            $"{source} '{text}' is not a collector URL. Use http://HOST:PORT for plain HTTP/2 or https://HOST:PORT for TLS, " +
            $"for example {suggestion}.");
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
