using OpsAgent.Collector.Storage.Chunks;

namespace OpsAgent.Collector.Tests.Storage.Chunks;

public sealed class ChunkCodecTests
{
    private static readonly double[] Adversarial =
    [
        0.0, -0.0, double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF0_0000_0000_0001)),
        double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, 2.2250738585072009e-308,
        double.MaxValue, double.MinValue, 1e300, -1e-300, 9007199254740993.0, 9007199254740992.0, 0.1, 0.30000000000000004,
        123456789.123, -42.5, 1.0 / 3.0, Math.PI,
    ];

    [Fact]
    public void Encode_AdversarialDoubles_RoundTripsBitExactly()
    {
        long[] timestamps = [.. Enumerable.Range(0, Adversarial.Length).Select(i => 1_000L * i)];
        AssertRoundTrip(timestamps, Adversarial);
    }

    [Fact]
    public void Encode_AdversarialDoublesAmongDecimals_RoundTripsWithExceptions()
    {
        var values = new double[400];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 37 == 5 ? Adversarial[i % Adversarial.Length] : Math.Round(i * 0.0137, 4);
        }

        AssertRoundTrip([.. Enumerable.Range(0, values.Length).Select(i => 1_000L * i)], values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(129)]
    [InlineData(1000)]
    public void Encode_RandomDoublesAndIrregularTimestamps_RoundTrips(int count)
    {
        var random = new Random(count);
        var timestamps = new long[count];
        var values = new double[count];
        long t = -5_000_000;
        for (int i = 0; i < count; i++)
        {
            t += random.Next(4) switch { 0 => 1000, 1 => random.Next(0, 3), 2 => random.Next(-5000, 5000), _ => random.NextInt64(0, 1L << 40) };
            timestamps[i] = t;
            values[i] = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
        }

        AssertRoundTrip(timestamps, values);
    }

    [Fact]
    public void Encode_ExtremeTimestamps_RoundTripsDespiteOverflowingDeltas()
    {
        AssertRoundTrip([long.MinValue, long.MaxValue, 0, long.MinValue + 1, -1], [1, 2, 3, 4, 5]);
    }

    [Fact]
    public void Encode_SingleSample_RoundTrips()
    {
        AssertRoundTrip([1_772_366_400_123], [0.4567]);
        AssertRoundTrip([0], [-0.0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Encode_RealisticHostMetrics_RoundTrips(int kind)
    {
        (long[] timestamps, double[] values) = HostMetricData.Generate(kind, 480, seed: kind, jitterMs: 3);
        AssertRoundTrip(timestamps, values);
    }

    [Fact]
    public void Encode_RealisticHostMetricMix_StaysUnderGorillaFigure()
    {
        long bytes = 0;
        long samples = 0;
        for (int series = 0; series < 100; series++)
        {
            (long[] timestamps, double[] values) = HostMetricData.Generate(series, 480, seed: series);
            bytes += ChunkCodec.Encode(timestamps, values).Length;
            samples += timestamps.Length;
        }

        Assert.True(bytes / (double)samples <= 1.37, $"{bytes / (double)samples:F3} bytes per sample");
    }

    [Fact]
    public void Encode_ConstantSeries_TakesAFewBytes()
    {
        long[] timestamps = [.. Enumerable.Range(0, 480).Select(i => 1_000L * i)];
        byte[] chunk = ChunkCodec.Encode(timestamps, [.. Enumerable.Repeat(12.5, 480)]);
        Assert.True(chunk.Length <= 24, $"{chunk.Length} bytes");
    }

    [Fact]
    public void Encode_JitteredTimestamps_TakesThreeBitsPerSample()
    {
        // ±3 ms of timer jitter around a 1 s grid: 7 possible offsets, so 3 bits each plus block headers.
        var random = new Random(7);
        long[] timestamps = [.. Enumerable.Range(0, 480).Select(i => 1_772_366_400_000 + (i * 1000L) + random.Next(-3, 4))];
        byte[] chunk = ChunkCodec.Encode(timestamps, [.. Enumerable.Repeat(5.0, 480)]);

        Assert.True(chunk.Length <= 480 * 3 / 8 + 40, $"{chunk.Length} bytes");
        Assert.Equal(timestamps, ChunkCodec.Decode(chunk).Timestamps);
    }

    [Fact]
    public void Decode_FlippedBit_ThrowsChunkFormatException()
    {
        (long[] timestamps, double[] values) = HostMetricData.Generate(0, 100, seed: 1);
        byte[] chunk = ChunkCodec.Encode(timestamps, values);
        for (int i = 0; i < chunk.Length; i++)
        {
            byte[] damaged = (byte[])chunk.Clone();
            damaged[i] ^= 0x10;
            Assert.Throws<ChunkFormatException>(() => ChunkCodec.Decode(damaged));
        }
    }

    [Fact]
    public void Decode_Truncated_ThrowsChunkFormatException()
    {
        byte[] chunk = ChunkCodec.Encode([1, 2, 3], [1.5, 2.5, 3.5]);
        for (int length = 0; length < chunk.Length; length++)
        {
            Assert.Throws<ChunkFormatException>(() => ChunkCodec.Decode(chunk.AsSpan(0, length)));
        }
    }

    private static void AssertRoundTrip(long[] timestamps, double[] values)
    {
        byte[] chunk = ChunkCodec.Encode(timestamps, values);
        (long[] decodedTimestamps, double[] decodedValues) = ChunkCodec.Decode(chunk);
        Assert.Equal(timestamps, decodedTimestamps);
        Assert.Equal(
            values.Select(BitConverter.DoubleToInt64Bits).ToArray(),
            decodedValues.Select(BitConverter.DoubleToInt64Bits).ToArray());
    }
}
