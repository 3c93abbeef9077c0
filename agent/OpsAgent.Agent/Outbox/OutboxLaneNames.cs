namespace OpsAgent.Agent.Outbox;

/// <summary>The lower-case lane names used in segment file names and in the agent's metric labels.</summary>
internal static class OutboxLaneNames
{
    public static string Name(OutboxLane lane) => lane switch
    {
        OutboxLane.Control => "control",
        OutboxLane.Inference => "inference",
        OutboxLane.Metrics => "metrics",
        OutboxLane.Logs => "logs",
        _ => "unknown",
    };

    public static bool TryParse(string name, out OutboxLane lane)
    {
        foreach (OutboxLane candidate in Enum.GetValues<OutboxLane>())
        {
            if (name == Name(candidate))
            {
                lane = candidate;
                return true;
            }
        }

        lane = default;
        return false;
    }
}
