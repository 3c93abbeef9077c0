namespace OpsAgent.Analysis.Evaluation;

/// <summary>An anomaly window as a range of row indices, both ends inclusive.</summary>
/// <param name="FirstRow">Index of the window's first row.</param>
/// <param name="LastRow">Index of the window's last row (r in NAB's formulas).</param>
public readonly record struct NabWindow(int FirstRow, int LastRow)
{
    /// <summary>Number of rows in the window (w in NAB's formulas).</summary>
    public int Width => LastRow - FirstRow + 1;
}
