using Microsoft.Extensions.Options;

namespace OpsAgent.Collector.Ingest;

internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions o)
    {
        var errors = new List<string>();
        Check(errors, "MaxBatchBytes", o.MaxBatchBytes, 64 * 1024, 64 * 1024 * 1024);
        Check(errors, "MaxSeriesPerBatch", o.MaxSeriesPerBatch, 1, 1_000_000);
        Check(errors, "MaxSamplesPerBatch", o.MaxSamplesPerBatch, 1, 10_000_000);
        Check(errors, "MaxLabelsPerSeries", o.MaxLabelsPerSeries, 1, 256);
        Check(errors, "MaxNameLength", o.MaxNameLength, 16, 4096);
        Check(errors, "MaxLabelNameLength", o.MaxLabelNameLength, 16, 1024);
        Check(errors, "MaxLabelValueLength", o.MaxLabelValueLength, 16, 65536);
        Check(errors, "MaxUnitLength", o.MaxUnitLength, 8, 1024);
        Check(errors, "MaxPendingBatchesPerStream", o.MaxPendingBatchesPerStream, 1, 1024);
        if (o.MaxPendingBytes < 1024 * 1024 || o.MaxPendingBytes > 16L * 1024 * 1024 * 1024)
        {
            errors.Add($"{IngestOptions.SectionName}:MaxPendingBytes must be between 1048576 (1 MiB) and 17179869184 (16 GiB); got {o.MaxPendingBytes}.");
        }

        if (o.MaxFutureSkew < TimeSpan.Zero || o.MaxFutureSkew > TimeSpan.FromDays(1))
        {
            errors.Add($"{IngestOptions.SectionName}:MaxFutureSkew must be between 00:00:00 and 1.00:00:00; got {o.MaxFutureSkew}.");
        }

        if (o.MaxSampleAge < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{IngestOptions.SectionName}:MaxSampleAge must be at least 00:01:00; got {o.MaxSampleAge}.");
        }

        if (o.HelloTimeout < TimeSpan.FromSeconds(1) || o.HelloTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{IngestOptions.SectionName}:HelloTimeout must be between 00:00:01 and 00:05:00; got {o.HelloTimeout}.");
        }

        if (o.StreamIdleTimeout < TimeSpan.FromSeconds(1) || o.StreamIdleTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{IngestOptions.SectionName}:StreamIdleTimeout must be between 00:00:01 and 01:00:00; got {o.StreamIdleTimeout}.");
        }

        Check(errors, "MaxSamplesPerSecondPerAgent", o.MaxSamplesPerSecondPerAgent, 1, 100_000_000);
        Check(errors, "MaxMessagesPerSecondPerAgent", o.MaxMessagesPerSecondPerAgent, 1, 1_000_000);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{IngestOptions.SectionName}:{key} must be between {min} and {max}; got {value}.");
        }
    }
}
