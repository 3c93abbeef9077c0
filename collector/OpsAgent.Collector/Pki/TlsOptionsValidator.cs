using System.Net;
using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Pki;

internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        var errors = new List<string>();
        if (options.ExtraNames.Count > 64)
        {
            errors.Add($"{TlsOptions.SectionName}:ExtraNames has {options.ExtraNames.Count} entries; at most 64 are allowed.");
        }

        for (int i = 0; i < options.ExtraNames.Count; i++)
        {
            string entry = options.ExtraNames[i];
            if (!IPAddress.TryParse(entry, out _) && Uri.CheckHostName(entry) != UriHostNameType.Dns)
            {
                errors.Add($"{TlsOptions.SectionName}:ExtraNames:{i} '{entry}' is neither a DNS name nor an IP address; use e.g. collector.example.com or 10.0.0.5.");
            }
        }

        if (options.ServerCertificateLifetime < TimeSpan.FromDays(2) || options.ServerCertificateLifetime > TimeSpan.FromDays(825))
        {
            errors.Add($"{TlsOptions.SectionName}:ServerCertificateLifetime must be between 2.00:00:00 and 825.00:00:00; got {options.ServerCertificateLifetime}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
