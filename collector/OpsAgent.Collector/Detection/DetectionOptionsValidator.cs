using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Detection;

/// <summary>Checks <see cref="DetectionOptions"/> at start-up and reports every problem at once, naming key and fix.</summary>
internal sealed class DetectionOptionsValidator : IValidateOptions<DetectionOptions>
{
    private const string Prefix = DetectionOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, DetectionOptions options)
    {
        var errors = new List<string>();
        if (options.Workers is < 0 or > 64)
        {
            errors.Add($"{Prefix}Workers must be between 0 (one per processor) and 64; got {options.Workers}.");
        }

        if (options.LearningSamples is < 0 or > 10_000_000)
        {
            errors.Add($"{Prefix}LearningSamples must be between 0 and 10000000; got {options.LearningSamples}.");
        }

        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{Prefix}QueueCapacity must be between 1 and 1000000; got {options.QueueCapacity}.");
        }

        if (options.MaxSeries is < 1 or > 10_000_000)
        {
            errors.Add($"{Prefix}MaxSeries must be between 1 and 10000000 (each series takes about 25 KiB); got {options.MaxSeries}.");
        }

        Between(errors, "CheckpointInterval", options.CheckpointInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Between(errors, "IdleAfter", options.IdleAfter, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        Between(errors, "StaleAfter", options.StaleAfter, TimeSpan.FromSeconds(10), TimeSpan.FromDays(7));
        Between(errors, "SettleAfter", options.SettleAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
        Between(errors, "IncidentMergeGap", options.IncidentMergeGap, TimeSpan.Zero, TimeSpan.FromDays(1));
        Between(errors, "Retention", options.Retention, TimeSpan.FromHours(1), TimeSpan.FromDays(3650));
        if (options.IdleAfter < options.StaleAfter)
        {
            errors.Add($"{Prefix}IdleAfter ({options.IdleAfter}) must be at least StaleAfter ({options.StaleAfter}), so that an idle series' open anomaly is resolved before its detector leaves memory.");
        }

        if (options.WatchQueueCapacity is < 16 or > 1_000_000)
        {
            errors.Add($"{Prefix}WatchQueueCapacity must be between 16 and 1000000; got {options.WatchQueueCapacity}.");
        }

        CheckGlobs(errors, "Exclude", options.Exclude);
        CheckGlobs(errors, "Include", options.Include);
        foreach (string problem in options.Alert.ToPolicy().Validate())
        {
            errors.Add($"{Prefix}Alert:{problem}");
        }

        if (options.Alert.MinDuration > TimeSpan.FromDays(1) || options.Alert.Hold > TimeSpan.FromDays(1) || options.Alert.ClearAfter > TimeSpan.FromDays(1))
        {
            errors.Add($"{Prefix}Alert: MinDuration, Hold and ClearAfter must each be at most 1.00:00:00.");
        }

        foreach (string problem in options.Forecast.ToPolicy().Validate())
        {
            errors.Add($"{Prefix}Forecast:{problem}");
        }

        if (options.Forecast.CriticalWithin < TimeSpan.Zero || options.Forecast.CriticalWithin > options.Forecast.Horizon)
        {
            errors.Add($"{Prefix}Forecast:CriticalWithin must be between 0 and Horizon ({options.Forecast.Horizon}); got {options.Forecast.CriticalWithin}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Between(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Prefix}{key} must be between {min} and {max}; got {value}.");
        }
    }

    private static void CheckGlobs(List<string> errors, string key, IList<string> globs)
    {
        for (int i = 0; i < globs.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(globs[i]) || globs[i].Length > 256)
            {
                errors.Add($"{Prefix}{key}:{i} must be a metric name glob of 1 to 256 characters such as 'system.network.*'; got '{globs[i]}'.");
            }
        }
    }
}
