using Microsoft.Extensions.Options;
using OpsAgent.Agent.Configuration;

namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>Checks <see cref="SyntheticOptions"/> at start-up and names the key and the fix for every problem.</summary>
internal sealed class SyntheticOptionsValidator : IValidateOptions<SyntheticOptions>
{
    private const int MaxSeries = 100_000;
    private static readonly TimeSpan MaxBackfill = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = SyntheticOptions.SectionName;
        var errors = new List<string>();

        if (options.Series is < 0 or > MaxSeries)
        {
            errors.Add($"{Section}:Series is {options.Series}; set it between 0 (off) and {MaxSeries}.");
        }

        if (!MetricNameFormat.IsValid(options.MetricName))
        {
            errors.Add($"{Section}:MetricName '{options.MetricName}' is not a metric name: start with a letter, then letters, digits, '.', '_', '-' or '/'.");
        }

        if (options.Period < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{Section}:Period is {options.Period}; set it to at least 00:00:01.");
        }

        if (!double.IsFinite(options.Amplitude) || options.Amplitude < 0 || !double.IsFinite(options.Noise) || options.Noise < 0)
        {
            errors.Add($"{Section}:Amplitude and {Section}:Noise must be finite numbers of 0 or more.");
        }

        if (options.Backfill < TimeSpan.Zero || options.Backfill > MaxBackfill)
        {
            errors.Add($"{Section}:Backfill is {options.Backfill}; set it between 00:00:00 and 7.00:00:00 (the collector refuses older samples).");
        }

        if (options.BatchesPerSecond < 0 || options.BatchesPerSecond > 1000 || (options.BatchesPerSecond > 0 && 1000 % options.BatchesPerSecond != 0))
        {
            errors.Add($"{Section}:BatchesPerSecond is {options.BatchesPerSecond}; set it to 0 (one sample per collection cycle) or a divisor of 1000 (1, 2, 4, 5, 10, 20, 50, 100, ...).");
        }

        for (int i = 0; i < options.Faults.Count; i++)
        {
            SyntheticFault fault = options.Faults[i];
            if (fault.Start == default && !fault.IsConditional)
            {
                errors.Add($"{Section}:Faults:{i}:Start is missing; set it to an absolute time such as 2026-12-01T12:00:00Z (or give the fault a condition: WhileFilesIn, WhileProcessRuns).");
            }

            if (!string.IsNullOrEmpty(fault.WhileFilesIn) && !Path.IsPathFullyQualified(fault.WhileFilesIn))
            {
                errors.Add($"{Section}:Faults:{i}:WhileFilesIn '{fault.WhileFilesIn}' is not an absolute path; give the full path of the directory to watch.");
            }

            if (fault.WhileProcessRuns is { Length: > 0 } process && (process.Contains('/') || process.Contains('\\') || process.Length > 255))
            {
                errors.Add($"{Section}:Faults:{i}:WhileProcessRuns '{process}' is not a process name; give the executable's name without a path.");
            }

            if (fault.Duration < TimeSpan.Zero)
            {
                errors.Add($"{Section}:Faults:{i}:Duration is negative; use 00:00:00 for 'until the agent stops' or a positive duration.");
            }

            if (!double.IsFinite(fault.Magnitude))
            {
                errors.Add($"{Section}:Faults:{i}:Magnitude must be a finite number.");
            }

            if (fault.SeriesIndexes.Any(s => s < 0 || s >= options.Series))
            {
                errors.Add($"{Section}:Faults:{i}:SeriesIndexes names a series outside 0..{options.Series - 1}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
