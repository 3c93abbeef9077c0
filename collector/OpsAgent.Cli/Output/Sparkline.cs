using System.Text;

namespace OpsAgent.Cli.Output;

/// <summary>
/// A one-line chart of a series in Unicode block characters, scaled per row from its own minimum (▁) to its
/// own maximum (█). A cell that holds no finite value (a missing step, NaN, ±∞) is a space, so gaps in the data
/// stay visible as gaps.
/// </summary>
internal static class Sparkline
{
    public const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// A row whose finite values are all equal (including a single point) has nothing to scale: it is drawn at
    /// mid height, so that a flat line is not mistaken for a series sitting at its minimum.
    /// </summary>
    public const char Flat = '▄';

    public static string Render(ReadOnlySpan<double> cells)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (var value in cells)
        {
            if (double.IsFinite(value))
            {
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }

        var builder = new StringBuilder(cells.Length);
        var range = max - min;
        foreach (var value in cells)
        {
            if (!double.IsFinite(value))
            {
                builder.Append(' ');
            }
            else if (range <= 0 || !double.IsFinite(range))
            {
                builder.Append(Flat);
            }
            else
            {
                var level = (int)Math.Round((value - min) / range * (Blocks.Length - 1));
                builder.Append(Blocks[Math.Clamp(level, 0, Blocks.Length - 1)]);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Narrows a row to at most <paramref name="maxWidth"/> cells by averaging neighbours; a merged cell is a gap
    /// only if every cell in it was.
    /// </summary>
    public static double[] Fit(ReadOnlySpan<double> cells, int maxWidth)
    {
        if (maxWidth <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWidth), maxWidth, "A sparkline needs at least one cell.");
        }

        if (cells.Length <= maxWidth)
        {
            return cells.ToArray();
        }

        var perCell = PerCell(cells.Length, maxWidth);
        var result = new double[(cells.Length + perCell - 1) / perCell];
        for (var i = 0; i < result.Length; i++)
        {
            var group = cells.Slice(i * perCell, Math.Min(perCell, cells.Length - (i * perCell)));
            double sum = 0;
            var count = 0;
            foreach (var value in group)
            {
                if (double.IsFinite(value))
                {
                    sum += value;
                    count++;
                }
            }

            result[i] = count == 0 ? double.NaN : sum / count;
        }

        return result;
    }

    /// <summary>Narrows flags (anomalous steps) exactly as <see cref="Fit"/> narrows the cells: a merged flag is set if any was.</summary>
    public static bool[] FitFlags(ReadOnlySpan<bool> flags, int maxWidth)
    {
        if (flags.Length <= maxWidth)
        {
            return flags.ToArray();
        }

        var perCell = PerCell(flags.Length, maxWidth);
        var result = new bool[(flags.Length + perCell - 1) / perCell];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = flags.Slice(i * perCell, Math.Min(perCell, flags.Length - (i * perCell))).Contains(true);
        }

        return result;
    }

    private static int PerCell(int cells, int maxWidth) => (cells + maxWidth - 1) / maxWidth;
}
