using OpsAgent.Collector.Storage;
using OpsAgent.Collector.Storage.Chunks;
using OpsAgent.Protocol;

namespace OpsAgent.Collector.Tests.Storage;

public sealed class WriteAheadCodecTests
{
    [Fact]
    public void Read_WrittenEntries_ReturnsSameSamplesBitExactly()
    {
        var agent = new AgentSequenceState(1, "a", 0);
        var first = new SeriesState(7, agent, "m", [], MetricKind.Gauge, "1");
        var second = new SeriesState(3, agent, "n", [], MetricKind.Gauge, "1");
        double[] values1 = [0.1234, double.NaN, -0.0, 1e300, 123456789012, double.Epsilon, 4.5];
        long[] times1 = [1000, 2000, 2500, 2500, 9000, 9001, -4];
        double[] values2 = [9007199254740993.0];
        long[] times2 = [long.MaxValue];
        var writer = new ByteWriter();
        WriteAheadCodec.Begin(writer, out WriteAheadCursor cursor);
        WriteAheadCodec.WriteEntry(writer, ref cursor, first, times1, values1, times1.Length);
        WriteAheadCodec.WriteEntry(writer, ref cursor, second, times2, values2, 1);
        WriteAheadCodec.End(writer);

        List<WriteAheadEntry> entries = WriteAheadCodec.Read(writer.ToArray());

        Assert.Equal(2, entries.Count);
        Assert.Equal(7UL, entries[0].SeriesId);
        Assert.Equal(times1, entries[0].Timestamps);
        Assert.Equal(values1.Select(BitConverter.DoubleToInt64Bits), entries[0].Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(3UL, entries[1].SeriesId);
        Assert.Equal(times2, entries[1].Timestamps);
        Assert.Equal(BitConverter.DoubleToInt64Bits(values2[0]), BitConverter.DoubleToInt64Bits(entries[1].Values[0]));
    }

    [Fact]
    public void Read_DamagedRecord_ThrowsChunkFormatException()
    {
        var series = new SeriesState(1, new AgentSequenceState(1, "a", 0), "m", [], MetricKind.Gauge, "1");
        var writer = new ByteWriter();
        WriteAheadCodec.Begin(writer, out WriteAheadCursor cursor);
        WriteAheadCodec.WriteEntry(writer, ref cursor, series, [1, 2, 3], [0.5, 0.25, 0.125], 3);
        WriteAheadCodec.End(writer);
        byte[] record = writer.ToArray();
        record[3] ^= 0x01;

        Assert.Throws<ChunkFormatException>(() => WriteAheadCodec.Read(record));
    }
}
