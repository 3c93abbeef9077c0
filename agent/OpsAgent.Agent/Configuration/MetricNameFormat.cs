namespace OpsAgent.Agent.Configuration;

/// <summary>The metric name rule the collector enforces, checked early so a bad config fails at start-up, not at ingest.</summary>
internal static class MetricNameFormat
{
    public const int MaxLength = 255;

    /// <summary>A letter first, then letters, digits, '.', '_', '-' or '/'.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsAsciiLetter(name[0]))
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
}
