using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Storage;

/// <summary>Checks <see cref="StorageOptions"/> at start-up and reports every problem at once, naming key and fix.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string Prefix = StorageOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{Prefix}DataDirectory must name a directory for the database (for example /var/lib/opsagent); it is empty.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"{Prefix}DataDirectory contains characters that are not valid in a path; got '{options.DataDirectory}'.");
        }

        if (options.Retention < TimeSpan.FromHours(1))
        {
            errors.Add($"{Prefix}Retention must be at least 1 hour; got {options.Retention}.");
        }

        if (options.DownsampledRetention < options.Retention)
        {
            errors.Add($"{Prefix}DownsampledRetention must be at least Retention ({options.Retention}); got {options.DownsampledRetention}.");
        }

        if (options.CheckpointInterval < TimeSpan.FromSeconds(1) || options.CheckpointInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{Prefix}CheckpointInterval must be between 00:00:01 and 01:00:00; got {options.CheckpointInterval}.");
        }

        if (options.MaintenanceInterval < TimeSpan.FromSeconds(1) || options.MaintenanceInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{Prefix}MaintenanceInterval must be between 00:00:01 and 01:00:00; got {options.MaintenanceInterval}.");
        }

        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{Prefix}QueueCapacity must be between 1 and 1000000 batches; got {options.QueueCapacity}.");
        }

        if (options.MaxBatchesPerCommit is < 1 or > 100_000)
        {
            errors.Add($"{Prefix}MaxBatchesPerCommit must be between 1 and 100000; got {options.MaxBatchesPerCommit}.");
        }

        if (options.MaxSamplesPerCommit < 1)
        {
            errors.Add($"{Prefix}MaxSamplesPerCommit must be at least 1; got {options.MaxSamplesPerCommit}.");
        }

        if (options.MaxSamplesPerChunk is < 16 or > 65_536)
        {
            errors.Add($"{Prefix}MaxSamplesPerChunk must be between 16 and 65536; got {options.MaxSamplesPerChunk}.");
        }

        if (options.MaxWriteAheadBytes < 1024 * 1024)
        {
            errors.Add($"{Prefix}MaxWriteAheadBytes must be at least 1048576 (1 MiB); got {options.MaxWriteAheadBytes}.");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            errors.Add($"{Prefix}Synchronous must be Full or Normal; got {options.Synchronous}.");
        }

        if (options.MaxSeriesPerAgent is < 1 or > 10_000_000)
        {
            errors.Add($"{Prefix}MaxSeriesPerAgent must be between 1 and 10000000; got {options.MaxSeriesPerAgent}.");
        }

        if (options.ObserverQueueCapacity < 1)
        {
            errors.Add($"{Prefix}ObserverQueueCapacity must be at least 1; got {options.ObserverQueueCapacity}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
