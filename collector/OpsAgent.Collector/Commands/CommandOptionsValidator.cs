using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Commands;

/// <summary>Checks <see cref="CommandOptions"/> at start-up and reports every problem at once, naming the key and the fix.</summary>
internal sealed class CommandOptionsValidator : IValidateOptions<CommandOptions>
{
    private const string Prefix = CommandOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, CommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Range(errors, nameof(CommandOptions.ExecExpiry), options.ExecExpiry, TimeSpan.FromSeconds(10), TimeSpan.FromDays(7));
        Range(errors, nameof(CommandOptions.ResultGrace), options.ResultGrace, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, nameof(CommandOptions.SweepInterval), options.SweepInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Range(errors, nameof(CommandOptions.Retention), options.Retention, TimeSpan.FromDays(1), TimeSpan.FromDays(3650));
        if (options.MaxOutputBytes is < 1024 or > 4 * 1024 * 1024)
        {
            errors.Add($"{Prefix}MaxOutputBytes must be between 1024 and 4194304 (4 MiB); got {options.MaxOutputBytes}.");
        }

        if (options.MaxOpenPerAgent is < 1 or > 100_000)
        {
            errors.Add($"{Prefix}MaxOpenPerAgent must be between 1 and 100000; got {options.MaxOpenPerAgent}.");
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
