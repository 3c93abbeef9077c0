using Microsoft.Extensions.Options;
using OpsAgent.Collector.Endpoints;

namespace OpsAgent.Collector.Configuration;

/// <summary>Reports every configuration problem at once, each naming the key and the fix.</summary>
internal sealed class CollectorOptionsValidator : IValidateOptions<CollectorOptions>
{
    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Collector:DataDirectory is empty. Set it to a directory the collector can write, e.g. /var/lib/opsagent-collector.");
        }

        var parsed = new List<(string Key, ListenAddress Address)>();
        foreach ((string key, string value) in new[]
        {
            ("Collector:Endpoints:Gateway", options.Endpoints.Gateway),
            ("Collector:Endpoints:Admin", options.Endpoints.Admin),
            ("Collector:Endpoints:Metrics", options.Endpoints.Metrics),
        })
        {
            if (ListenAddress.TryParse(value, out ListenAddress? address, out string? problem))
            {
                parsed.Add((key, address));
            }
            else
            {
                errors.Add($"{key} '{value}' is not usable: {problem}");
            }
        }

        foreach ((string key, ListenAddress address) in parsed)
        {
            if (key.EndsWith(":Metrics", StringComparison.Ordinal))
            {
                continue; // read-only counters for Prometheus: plain HTTP is the norm (see README, Security)
            }

            if (options.Insecure && !address.IsLoopback)
            {
                errors.Add($"Collector:Insecure=true turns off TLS, agent certificates and API tokens, so it is refused for {key} " +
                    $"'{Value(options, key)}', which is not a loopback address. Listen on 127.0.0.1 for tests and development, or remove Collector:Insecure.");
            }
            else if (!options.Insecure && !address.Tls)
            {
                errors.Add($"{key} '{Value(options, key)}' has no TLS. Use https:// (the collector creates its own CA and certificate in " +
                    "DATA_DIR/pki), or, for tests and development on this machine only, set Collector:Insecure=true with a 127.0.0.1 address.");
            }
        }

        for (int i = 0; i < parsed.Count; i++)
        {
            for (int j = i + 1; j < parsed.Count; j++)
            {
                if (parsed[i].Address.Port != 0 && parsed[i].Address.Port == parsed[j].Address.Port)
                {
                    errors.Add($"{parsed[i].Key} and {parsed[j].Key} both use port {parsed[i].Address.Port}; give each listener its own port.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Value(CollectorOptions options, string key) => key switch
    {
        "Collector:Endpoints:Gateway" => options.Endpoints.Gateway,
        "Collector:Endpoints:Admin" => options.Endpoints.Admin,
        _ => options.Endpoints.Metrics,
    };
}
