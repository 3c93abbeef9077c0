using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Playbooks;

/// <summary>Checks <see cref="PlaybookOptions"/> at start-up and reports every problem at once, naming key and fix.</summary>
internal sealed class PlaybookOptionsValidator : IValidateOptions<PlaybookOptions>
{
    private const string Prefix = PlaybookOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, PlaybookOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            errors.Add($"{Prefix}Directory is empty; set it to the directory of playbook files, e.g. /var/lib/opsagent-collector/playbooks.");
        }
        else if (options.Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"{Prefix}Directory contains characters that are not valid in a path; got '{options.Directory}'.");
        }

        Range(errors, "RescanInterval", options.RescanInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Range(errors, "CommandExpiry", options.CommandExpiry, TimeSpan.FromSeconds(10), TimeSpan.FromDays(7));
        Range(errors, "ResultGrace", options.ResultGrace, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, "RunRetention", options.RunRetention, TimeSpan.FromDays(1), TimeSpan.FromDays(400));
        Range(errors, "TickInterval", options.TickInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        if (options.QueueCapacity is < 16 or > 1_000_000)
        {
            errors.Add($"{Prefix}QueueCapacity must be between 16 and 1000000 events; got {options.QueueCapacity}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Prefix}{key} must be between {min:c} and {max:c}; got {value:c}.");
        }
    }
}
