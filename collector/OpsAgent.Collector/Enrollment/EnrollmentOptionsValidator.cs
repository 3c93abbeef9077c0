using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Enrollment;

internal sealed class EnrollmentOptionsValidator : IValidateOptions<EnrollmentOptions>
{
    public ValidateOptionsResult Validate(string? name, EnrollmentOptions options)
    {
        var errors = new List<string>();
        if (options.CertificateLifetime < TimeSpan.FromMinutes(1) || options.CertificateLifetime > TimeSpan.FromDays(397))
        {
            errors.Add($"{EnrollmentOptions.SectionName}:CertificateLifetime must be between 00:01:00 and 397.00:00:00; got {options.CertificateLifetime}.");
        }

        if (options.MaxTokenLifetime < TimeSpan.FromMinutes(1) || options.MaxTokenLifetime > TimeSpan.FromDays(30))
        {
            errors.Add($"{EnrollmentOptions.SectionName}:MaxTokenLifetime must be between 00:01:00 and 30.00:00:00; got {options.MaxTokenLifetime}.");
        }

        if (options.AttemptsPerMinute is < 1 or > 10_000)
        {
            errors.Add($"{EnrollmentOptions.SectionName}:AttemptsPerMinute must be between 1 and 10000; got {options.AttemptsPerMinute}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
