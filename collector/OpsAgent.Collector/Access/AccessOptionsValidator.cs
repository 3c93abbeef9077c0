using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Access;

internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var errors = new List<string>();
        if (options.AuditRetention < TimeSpan.FromDays(1))
        {
            errors.Add($"{AccessOptions.SectionName}:AuditRetention must be at least 1.00:00:00; got {options.AuditRetention}.");
        }

        if (options.FailedAuthenticationsPerMinute is < 1 or > 100_000)
        {
            errors.Add($"{AccessOptions.SectionName}:FailedAuthenticationsPerMinute must be between 1 and 100000; got {options.FailedAuthenticationsPerMinute}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
