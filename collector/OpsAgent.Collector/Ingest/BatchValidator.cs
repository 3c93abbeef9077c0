using Microsoft.Extensions.Options;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Ingest;

/// <summary>
/// Checks a batch against <see cref="IngestOptions"/> before anything is stored. Problems with the batch as a whole
/// (too large, too many series) reject it whole; problems with one series drop that series (or those samples) and keep
/// the rest, so one bad source on a host does not stop the good ones. The batch is edited in place: what remains
/// after validation is exactly what may be stored, with labels sorted by key.
/// </summary>
internal sealed class BatchValidator(IOptions<IngestOptions> options, TimeProvider timeProvider)
{
    private readonly IngestOptions _limits = options.Value;

    /// <param name="serializedSize">The batch's size when the caller has computed it already.</param>
    public ValidationOutcome Validate(TelemetryBatch batch, int? serializedSize = null)
    {
        var outcome = new ValidationOutcome();
        int size = serializedSize ?? batch.CalculateSize();
        if (size > _limits.MaxBatchBytes)
        {
            outcome.RejectWhole(RejectionCodes.BatchTooLarge,
                $"batch is {size} bytes; the collector accepts at most {_limits.MaxBatchBytes} (Collector:Ingest:MaxBatchBytes)");
            return outcome;
        }

        if (batch.Metrics.Count > _limits.MaxSeriesPerBatch)
        {
            outcome.RejectWhole(RejectionCodes.TooManySeries,
                $"batch has {batch.Metrics.Count} series; at most {_limits.MaxSeriesPerBatch} are accepted (Collector:Ingest:MaxSeriesPerBatch)");
            return outcome;
        }

        long samples = 0;
        foreach (MetricSeries series in batch.Metrics)
        {
            samples += Math.Max(series.TimestampsUnixMs.Count, series.Values.Count);
        }

        if (samples > _limits.MaxSamplesPerBatch)
        {
            outcome.RejectWhole(RejectionCodes.TooManySamples,
                $"batch has {samples} samples; at most {_limits.MaxSamplesPerBatch} are accepted (Collector:Ingest:MaxSamplesPerBatch)");
            return outcome;
        }

        long now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long newest = now + (long)_limits.MaxFutureSkew.TotalMilliseconds;
        long oldest = now - (long)_limits.MaxSampleAge.TotalMilliseconds;

        for (int i = batch.Metrics.Count - 1; i >= 0; i--)
        {
            if (!ValidateSeries(batch.Metrics[i], oldest, newest, outcome))
            {
                batch.Metrics.RemoveAt(i);
            }
        }

        outcome.AcceptedItems = batch.Metrics.Count;

        // Logs, inference events and outcomes are stored by features that are not part of this collector version:
        // say so in the ack instead of acknowledging data that is then silently dropped.
        RejectUnsupported(batch.Logs.Count, "logs", outcome);
        RejectUnsupported(batch.Inferences.Count, "inference events", outcome);
        RejectUnsupported(batch.Outcomes.Count, "outcomes", outcome);
        batch.Logs.Clear();
        batch.Inferences.Clear();
        batch.Outcomes.Clear();

        // Command results are stored (Commands/); whose commands they are is checked by the dispatcher, which knows.
        ValidateCommandResults(batch, outcome);
        return outcome;
    }

    private static void ValidateCommandResults(TelemetryBatch batch, ValidationOutcome outcome)
    {
        if (batch.CommandResults.Count > MaxCommandResultsPerBatch)
        {
            outcome.Reject(RejectionCodes.BadCommandResult, "command results",
                $"batch has {batch.CommandResults.Count} command results; at most {MaxCommandResultsPerBatch} are accepted per batch", batch.CommandResults.Count);
            batch.CommandResults.Clear();
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = batch.CommandResults.Count - 1; i >= 0; i--)
        {
            CommandResult result = batch.CommandResults[i];
            string? problem =
                result.CommandId.Length is 0 or > MaxCommandIdLength || result.CommandId.Any(char.IsControl)
                    ? $"command_id must be 1 to {MaxCommandIdLength} printable characters"
                : result.Status is CommandStatus.Unspecified || !Enum.IsDefined(result.Status)
                    ? $"status {(int)result.Status} is not a result status (succeeded, failed, rejected, timed_out)"
                : !seen.Add(result.CommandId)
                    ? "the batch holds two results of this command"
                : null;
            if (problem is not null)
            {
                outcome.Reject(RejectionCodes.BadCommandResult, Printable(result.CommandId), problem);
                batch.CommandResults.RemoveAt(i);
            }
        }
    }

    private const int MaxCommandResultsPerBatch = 1000;
    private const int MaxCommandIdLength = 128;

    private static void RejectUnsupported(int count, string what, ValidationOutcome outcome)
    {
        if (count > 0)
        {
            outcome.Reject(RejectionCodes.Unsupported, what, $"this collector version does not store {what}", count);
        }
    }

    private bool ValidateSeries(MetricSeries series, long oldest, long newest, ValidationOutcome outcome)
    {
        string name = series.Name;
        if (!IsValidName(name, _limits.MaxNameLength))
        {
            outcome.Reject(RejectionCodes.BadName, Printable(name),
                $"metric names start with a letter and use letters, digits, '.', '_', '-' or '/', at most {_limits.MaxNameLength} characters");
            return false;
        }

        if (series.Labels.Count > _limits.MaxLabelsPerSeries)
        {
            outcome.Reject(RejectionCodes.LabelLimit, name,
                $"series has {series.Labels.Count} labels; at most {_limits.MaxLabelsPerSeries} are accepted (Collector:Ingest:MaxLabelsPerSeries)");
            return false;
        }

        if (!ValidateLabels(series, outcome))
        {
            return false;
        }

        if (series.Unit.Length > _limits.MaxUnitLength)
        {
            outcome.Reject(RejectionCodes.BadUnit, name, $"unit is longer than {_limits.MaxUnitLength} characters");
            return false;
        }

        int count = series.TimestampsUnixMs.Count;
        if (count == 0 || count != series.Values.Count)
        {
            outcome.Reject(RejectionCodes.BadSamples, name,
                $"series has {count} timestamps and {series.Values.Count} values; they must be equal and non-zero");
            return false;
        }

        return ValidateSamples(series, oldest, newest, outcome);
    }

    private bool ValidateLabels(MetricSeries series, ValidationOutcome outcome)
    {
        bool sorted = true;
        for (int i = 0; i < series.Labels.Count; i++)
        {
            Label label = series.Labels[i];
            if (!IsValidLabelName(label.Key, _limits.MaxLabelNameLength))
            {
                outcome.Reject(RejectionCodes.BadLabel, series.Name,
                    $"label name '{Printable(label.Key)}' is invalid: start with a letter or '_', then letters, digits, '_' or '.'");
                return false;
            }

            if (label.Key is "host" or "agent_id")
            {
                outcome.Reject(RejectionCodes.ReservedLabel, series.Name, $"label '{label.Key}' is set by the collector and may not be sent");
                return false;
            }

            if (label.Value.Length > _limits.MaxLabelValueLength)
            {
                outcome.Reject(RejectionCodes.BadLabel, series.Name,
                    $"label '{label.Key}' has a value of {label.Value.Length} characters; at most {_limits.MaxLabelValueLength} are accepted");
                return false;
            }

            if (i > 0)
            {
                int order = string.CompareOrdinal(series.Labels[i - 1].Key, label.Key);
                sorted &= order < 0;
                if (order == 0)
                {
                    outcome.Reject(RejectionCodes.DuplicateLabel, series.Name, $"label '{label.Key}' appears twice");
                    return false;
                }
            }
        }

        if (!sorted)
        {
            Label[] labels = [.. series.Labels];
            Array.Sort(labels, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            for (int i = 1; i < labels.Length; i++)
            {
                if (labels[i - 1].Key == labels[i].Key)
                {
                    outcome.Reject(RejectionCodes.DuplicateLabel, series.Name, $"label '{labels[i].Key}' appears twice");
                    return false;
                }
            }

            series.Labels.Clear();
            series.Labels.Add(labels);
        }

        return true;
    }

    private static bool ValidateSamples(MetricSeries series, long oldest, long newest, ValidationOutcome outcome)
    {
        int count = series.TimestampsUnixMs.Count;
        int bad = 0;
        bool ascending = true;
        for (int i = 0; i < count; i++)
        {
            long t = series.TimestampsUnixMs[i];
            if (t > newest || t < oldest)
            {
                bad++;
            }

            if (i > 0 && t < series.TimestampsUnixMs[i - 1])
            {
                ascending = false;
            }
        }

        if (bad == 0 && ascending)
        {
            return true;
        }

        // Rare path: drop the out-of-range samples and put the rest in time order.
        var kept = new List<(long T, double V)>(count - bad);
        int future = 0;
        for (int i = 0; i < count; i++)
        {
            long t = series.TimestampsUnixMs[i];
            if (t > newest)
            {
                future++;
            }
            else if (t >= oldest)
            {
                kept.Add((t, series.Values[i]));
            }
        }

        if (future > 0)
        {
            outcome.Reject(RejectionCodes.FutureTimestamp, series.Name,
                $"{future} samples are stamped more than the allowed skew in the future; check the host's clock (NTP)", future);
        }

        if (bad - future > 0)
        {
            outcome.Reject(RejectionCodes.TooOld, series.Name, $"{bad - future} samples are older than Collector:Ingest:MaxSampleAge", bad - future);
        }

        kept.Sort(static (a, b) => a.T.CompareTo(b.T));
        series.TimestampsUnixMs.Clear();
        series.Values.Clear();
        foreach ((long t, double v) in kept)
        {
            series.TimestampsUnixMs.Add(t);
            series.Values.Add(v);
        }

        return kept.Count > 0;
    }

    internal static bool IsValidName(string name, int maxLength)
    {
        if (name.Length == 0 || name.Length > maxLength || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsValidLabelName(string key, int maxLength)
    {
        if (key.Length == 0 || key.Length > maxLength || !(char.IsAsciiLetter(key[0]) || key[0] == '_'))
        {
            return false;
        }

        foreach (char c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string s)
    {
        Span<char> buffer = stackalloc char[Math.Min(s.Length, 64)];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = char.IsControl(s[i]) ? '?' : s[i];
        }

        return s.Length > 64 ? new string(buffer) + "..." : new string(buffer);
    }
}
