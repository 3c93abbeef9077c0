using System.Net;
using OpsAgent.Cli.Invocation;

namespace OpsAgent.Cli.Connection;

/// <summary>
/// Decides where the collector is and which credentials to send. For each setting the command line wins over the
/// environment, the environment over the configuration file, the file over the built-in default. The file's token and
/// CA are used only with the file's own collector (or when it names none): a token is never sent to a collector it
/// was not written for.
/// </summary>
internal static class ConnectionSettingsResolver
{
    public const string DefaultCollector = "https://127.0.0.1:7401";
    public const string CollectorVariable = "OPSAGENT_COLLECTOR";
    public const string TokenVariable = "OPSAGENT_TOKEN";

    public static ConnectionSettings Resolve(ConnectionOptions options, TimeSpan timeout, Func<string, string?> getEnvironmentVariable)
    {
        var warnings = new List<string>();
        OpsctlConfigFile? config = LoadConfig(options.ConfigFile, getEnvironmentVariable);
        string configSource = config is null ? "" : "config file " + config.Path;

        var (text, source) = !string.IsNullOrWhiteSpace(options.Collector)
            ? (options.Collector.Trim(), "--collector")
            : getEnvironmentVariable(CollectorVariable) is { Length: > 0 } fromEnvironment
                ? (fromEnvironment.Trim(), CollectorVariable)
                : config?.Collector is { } fromConfig
                    ? (fromConfig.Trim(), configSource)
                    : (DefaultCollector, "default");

        var collector = ParseCollectorUrl(text, source);
        bool configApplies = config is not null &&
            (config.Collector is null || SameEndpoint(ParseCollectorUrl(config.Collector, configSource), collector));

        var (token, tokenSource) = !string.IsNullOrWhiteSpace(options.Token)
            ? (options.Token.Trim(), "--token")
            : getEnvironmentVariable(TokenVariable) is { Length: > 0 } t
                ? (t.Trim(), TokenVariable)
                : configApplies && config!.Token is { } fromFile
                    ? (fromFile.Trim(), configSource)
                    : ((string?)null, (string?)null);

        var (ca, caSource) = !string.IsNullOrWhiteSpace(options.CaFile)
            ? (CaBundle.ReadFile(options.CaFile, "--ca"), "--ca " + options.CaFile)
            : getEnvironmentVariable(CaBundle.Variable) is { Length: > 0 } caPath
                ? (CaBundle.ReadFile(caPath, CaBundle.Variable), CaBundle.Variable + " " + caPath)
                : configApplies && config!.CaCertificatePem is { } fromConfigCa
                    ? (fromConfigCa, configSource)
                    : ((string?)null, (string?)null);

        if (ca is not null)
        {
            CaBundle.Parse(ca, caSource!); // fail now, with the source named, rather than at the handshake
        }

        if (config is not null && !configApplies && config.Token is not null)
        {
            warnings.Add($"the token in {config.Path} is for {config.Collector}, not {collector.GetLeftPart(UriPartial.Authority)} ({source}); it is not sent.");
        }

        if (tokenSource == configSource && config is not null && OpsctlConfigFile.IsReadableByOthers(config.Path))
        {
            warnings.Add($"{config.Path} holds an API token and other users can read it; run: chmod 600 {config.Path}");
        }

        if (token is not null && collector.Scheme == Uri.UriSchemeHttp && !IsLoopback(collector))
        {
            throw CliException.Usage(
                $"refusing to send the API token from {tokenSource} in clear text to {collector.GetLeftPart(UriPartial.Authority)}. " +
                "Use an https:// collector URL, or unset the token for a collector that needs none.");
        }

        return new ConnectionSettings(collector, source, token, timeout)
        {
            TokenSource = tokenSource,
            CaCertificatePem = ca,
            CaSource = caSource,
            Warnings = warnings,
        };
    }

    private static OpsctlConfigFile? LoadConfig(string? option, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return OpsctlConfigFile.Load(option, "--config");
        }

        if (environment(OpsctlConfigFile.Variable) is { Length: > 0 } fromEnvironment)
        {
            return OpsctlConfigFile.Load(fromEnvironment, OpsctlConfigFile.Variable);
        }

        string? path = OpsctlConfigFile.DefaultPath(environment);
        return path is not null && File.Exists(path) ? OpsctlConfigFile.Load(path, "the default location") : null;
    }

    private static bool SameEndpoint(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) &&
        a.Port == b.Port;

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

        var suggestion = hasScheme ? DefaultCollector : "https://" + text;
        throw CliException.Usage(
            $"{source} '{text}' is not a collector URL. Use https://HOST:PORT for TLS or http://HOST:PORT for plain HTTP/2 (insecure mode, loopback only), " +
            $"for example {suggestion}.");
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
