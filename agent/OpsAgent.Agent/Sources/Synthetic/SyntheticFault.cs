namespace OpsAgent.Agent.Sources.Synthetic;

/// <summary>A scheduled departure from the normal synthetic signal.</summary>
internal sealed class SyntheticFault
{
    public SyntheticFaultKind Kind { get; set; } = SyntheticFaultKind.LevelShift;

    /// <summary>
    /// When the fault begins (an absolute time, so that it stays put across agent restarts). May be left out for a
    /// fault with a condition: it is then on whenever its condition holds.
    /// </summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>How long it lasts; zero means until the agent stops.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>Added to the value (Spike, LevelShift); ignored by Flatline.</summary>
    public double Magnitude { get; set; }

    /// <summary>The series indexes it affects; empty means every series.</summary>
    public IList<int> SeriesIndexes { get; set; } = [];

    /// <summary>
    /// A condition on real state: the fault is on only while this directory holds at least one file (checked at every live
    /// collection). A test fills the directory to start the fault, and whatever empties it (a cleanup command) ends it.
    /// </summary>
    public string? WhileFilesIn { get; set; }

    /// <summary>
    /// A condition on real state: the fault is on only while a process with exactly this name runs (as the OS names it,
    /// e.g. the executable's file name). Killing the process ends the fault.
    /// </summary>
    public string? WhileProcessRuns { get; set; }

    /// <summary>True when the fault depends on real state: it applies to live samples only, never to the backfilled history.</summary>
    public bool IsConditional => !string.IsNullOrEmpty(WhileFilesIn) || !string.IsNullOrEmpty(WhileProcessRuns);

    public bool Covers(int series, long unixMs)
    {
        if (Start == default && IsConditional)
        {
            return SeriesIndexes.Count == 0 || SeriesIndexes.Contains(series);
        }

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
