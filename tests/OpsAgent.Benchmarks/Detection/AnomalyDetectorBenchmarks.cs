using BenchmarkDotNet.Attributes;
using OpsAgent.Analysis.Detection;

namespace OpsAgent.Benchmarks.Detection;

/// <summary>
/// Per-sample cost of the default detector on one series (target: at most 2 µs). One operation = one sample;
/// the detector is warmed up on a day of data first so that its prototype memory is in its steady state.
/// </summary>
[MemoryDiagnoser]
public class AnomalyDetectorBenchmarks
{
    private const int Samples = 100_000;
    private readonly double[] _values = new double[Samples];
    private AnomalyDetector _detector = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (int i = 0; i < Samples; i++)
        {
            // Five-minute samples of a busy host: daily cycle, noise, occasional spikes.
            _values[i] = 50 + (20 * Math.Sin(2 * Math.PI * i / 288)) + (5 * random.NextDouble()) + (random.NextDouble() < 0.002 ? 40 : 0);
        }

        _detector = new AnomalyDetector();
        for (int i = 0; i < 10_000; i++)
        {
            _detector.Update(i * 300_000L, _values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public double UpdatePerSample()
    {
        double sum = 0;
        for (int i = 0; i < Samples; i++)
        {
            sum += _detector.Update(i * 300_000L, _values[i]);
        }

        return sum;
    }

    [Benchmark]
    public byte[] Checkpoint() => _detector.Checkpoint();
}
