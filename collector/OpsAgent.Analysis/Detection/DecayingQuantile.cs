namespace OpsAgent.Analysis.Detection;

/// <summary>
/// A quantile of a positive quantity's recent history, from a histogram with logarithmic bins whose counts decay
/// exponentially. Robust where a mean and standard deviation are not: one early burst of huge values (while a
/// detector is still learning the range of a series) moves a high quantile only as much as its share of the mass.
/// </summary>
internal sealed class DecayingQuantile
{
    private const double MinLog = -6.0;
    private const double BinsPerDecade = 10.0;
    private const int Bins = 80; // 1e-6 to 1e2

    private readonly double[] _counts = new double[Bins];
    private readonly double _keep;
    private double _total;

    public DecayingQuantile(int span)
    {
        _keep = 1.0 - (1.0 / span);
    }

    public double Total => _total;

    public void Add(double value)
    {
        for (int b = 0; b < Bins; b++)
        {
            _counts[b] *= _keep;
        }

        _total = (_total * _keep) + 1.0;
        _counts[Bin(value)] += 1.0;
    }

    /// <summary>The upper edge of the bin holding the q-quantile (0 when nothing was added).</summary>
    public double Quantile(double q)
    {
        if (_total <= 0)
        {
            return 0.0;
        }

        double target = q * _total, seen = 0;
        for (int b = 0; b < Bins; b++)
        {
            seen += _counts[b];
            if (seen >= target)
            {
                return Math.Pow(10.0, MinLog + ((b + 1) / BinsPerDecade));
            }
        }

        return Math.Pow(10.0, MinLog + (Bins / BinsPerDecade));
    }

    private static int Bin(double value)
    {
        if (!(value > 0))
        {
            return 0;
        }

        double b = (Math.Log10(value) - MinLog) * BinsPerDecade;
        return b < 0 ? 0 : b >= Bins ? Bins - 1 : (int)b;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(_total);
        foreach (double c in _counts)
        {
            writer.Write(c);
        }
    }

    public void Read(BinaryReader reader)
    {
        _total = reader.ReadDouble();
        for (int b = 0; b < Bins; b++)
        {
            _counts[b] = reader.ReadDouble();
        }
    }
}
