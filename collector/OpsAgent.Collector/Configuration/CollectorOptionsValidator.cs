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
}
