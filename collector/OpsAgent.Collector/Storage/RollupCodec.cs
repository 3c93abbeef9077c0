using OpsAgent.Collector.Storage.Chunks;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// 5-minute rollups of one series over one 2-hour window: bucket start, count, sum, min, max, last value and counter
/// increase. Each column is stored with <see cref="ChunkCodec"/>, so rollups get the same compression and checksums.
/// </summary>
internal static class RollupCodec
{
    public const int Columns = 6;

    private const byte Version = 1;

    public static byte[] Encode(long[] bucketStarts, double[][] columns)
    {
        var writer = new ByteWriter(256);
        writer.WriteByte(Version);
        for (int c = 0; c < Columns; c++)
        {
            byte[] column = ChunkCodec.Encode(bucketStarts, columns[c]);
            writer.WriteVarUInt((ulong)column.Length);
            writer.WriteBytes(column);
        }

        return writer.ToArray();
    }

    /// <summary>Decodes to bucket starts and the columns count, sum, min, max, last, increase.</summary>
    public static (long[] BucketStarts, double[][] Columns) Decode(ReadOnlySpan<byte> data)
    {
        var reader = new ByteReader(data);
        byte version = reader.ReadByte();
        if (version != Version)
        {
            throw new ChunkFormatException($"A rollup has format version {version}; this collector reads version {Version}.");
        }

        long[] starts = [];
        var columns = new double[Columns][];
        for (int c = 0; c < Columns; c++)
        {
            int length = reader.ReadCount(data.Length);
            (long[] t, double[] v) = ChunkCodec.Decode(reader.ReadBytes(length));
            if (c > 0 && t.Length != starts.Length)
            {
                throw new ChunkFormatException("A rollup's columns have different lengths.");
            }

            starts = t;
            columns[c] = v;
        }

        return (starts, columns);
    }
}
