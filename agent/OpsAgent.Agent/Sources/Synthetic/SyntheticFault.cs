namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>A scheduled departure from the normal synthetic signal.</summary>
internal sealed class SyntheticFault
{
    public SyntheticFaultKind Kind { get; set; } = SyntheticFaultKind.LevelShift;

    /// <summary>When the fault begins (an absolute time, so that it stays put across agent restarts).</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>How long it lasts; zero means until the agent stops.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>Added to the value (Spike, LevelShift); ignored by Flatline.</summary>
    public double Magnitude { get; set; }

    /// <summary>The series indexes it affects; empty means every series.</summary>
    public IList<int> SeriesIndexes { get; set; } = [];

    public bool Covers(int series, long unixMs)
    {
        long start = Start.ToUnixTimeMilliseconds();
        if (unixMs < start || (Duration > TimeSpan.Zero && unixMs >= start + (long)Duration.TotalMilliseconds))
        {
            return false;
        }

        return SeriesIndexes.Count == 0 || SeriesIndexes.Contains(series);
    }
}

/// <summary>What a <see cref="SyntheticFault"/> does to the signal.</summary>
internal enum SyntheticFaultKind
{
    /// <summary>The value jumps by the magnitude for the fault's duration (meant to be short).</summary>
    Spike,

    /// <summary>The value moves by the magnitude and stays there for the fault's duration.</summary>
    LevelShift,

    /// <summary>The value freezes at what it was when the fault began (a stuck sensor or exporter).</summary>
    Flatline,
}
