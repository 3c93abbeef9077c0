namespace OpsAgent.Agent.Configuration;

/// <summary>The label rules the collector enforces, checked early so a bad config fails at start-up, not at ingest.</summary>
internal static class LabelFormat
{
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 1024;

    public static bool IsValidKey(string key)
    {
        if (key.Length is 0 or > MaxKeyLength || !(char.IsAsciiLetter(key[0]) || key[0] == '_'))
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

    /// <summary>Labels the collector adds itself; an agent may not set them.</summary>
    public static bool IsReserved(string key) => key is "host" or "agent_id";
}
