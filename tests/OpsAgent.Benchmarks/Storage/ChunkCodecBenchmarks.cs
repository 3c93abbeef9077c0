using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OpsAgent.Collector.Storage.Chunks;

namespace OpsAgent.Benchmarks.Storage;

/// <summary>
/// Chunk codec speed (per sample) and size (bytes per sample, in the extra column) on realistic host metrics:
/// 120 series of 480 samples at 1 s, with collection timestamps exact or jittered by up to ±3 ms.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class ChunkCodecBenchmarks
{
    private const int SeriesCount = 120;
    private const int SamplesPerChunk = 480;

    private (long[] Timestamps, double[] Values)[] _series = [];
    private byte[][] _encoded = [];
    private readonly ByteWriter _writer = new(1 << 16);

    /// <summary>Timestamp jitter in milliseconds: 0 is a perfectly regular collector, 3 a realistic one.</summary>
    [Params(0, 3)]
    public int JitterMs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _series = Build(JitterMs);
        _encoded = [.. _series.Select(s => ChunkCodec.Encode(s.Timestamps, s.Values))];
    }

    [Benchmark(OperationsPerInvoke = SeriesCount * SamplesPerChunk)]
    public int Encode()
    {
        int bytes = 0;
        foreach ((long[] timestamps, double[] values) in _series)
        {
            _writer.Reset();
            ChunkCodec.Encode(timestamps, values, _writer);
            bytes += _writer.Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = SeriesCount * SamplesPerChunk)]
    public long Decode()
    {
        long sum = 0;
        foreach (byte[] chunk in _encoded)
        {
            sum += ChunkCodec.Decode(chunk).Timestamps.Length;
        }

        return sum;
    }

    internal static (long[] Timestamps, double[] Values)[] Build(int jitterMs) =>
        [.. Enumerable.Range(0, SeriesCount).Select(i => HostMetricData.Generate(i, SamplesPerChunk, seed: i, start: 1_772_366_400_000, jitterMs))];

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new BytesPerSampleColumn());
    }

    private sealed class BytesPerSampleColumn : IColumn
    {
        public string Id => "BytesPerSample";

        public string ColumnName => "Bytes/sample";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Encoded chunk bytes (with header and checksum) per sample";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            int jitter = (int)benchmarkCase.Parameters["JitterMs"];
            long bytes = Build(jitter).Sum(s => (long)ChunkCodec.Encode(s.Timestamps, s.Values).Length);
            return (bytes / (double)(SeriesCount * SamplesPerChunk)).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
