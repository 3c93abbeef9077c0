using OpsAgent.Collector.Storage.Chunks;

namespace OpsAgent.Collector.Storage;

/// <summary>
/// The compact form of one group commit's samples in the <c>wal</c> table: per series its id, sample count and
/// timestamps as zigzag varint deltas (the first against the previous entry's first, so a batch whose series share a
/// timestamp pays one byte each), and each value as one self-contained token: a decimal integer and exponent in one
/// varint (a 4-decimal gauge takes 3 bytes, a small counter 2), or an escape and the raw 8 bytes. Every record stands
/// alone (no reference to heads or other records), so a corrupt record loses only its own samples. A CRC-32C closes it.
/// </summary>
internal static class WriteAheadCodec
{
    public const byte Version = 1;

    private const int RawToken = 31;

    public static void Begin(ByteWriter writer, out WriteAheadCursor cursor)
    {
        writer.Reset();
        writer.WriteByte(Version);
        cursor = default;
    }

    public static void WriteEntry(ByteWriter writer, ref WriteAheadCursor cursor, SeriesState series, IReadOnlyList<long> timestamps, IReadOnlyList<double> values, int n)
    {
        writer.WriteVarInt(unchecked((long)series.Id - (long)cursor.PreviousSeriesId));
        writer.WriteVarUInt((ulong)n);
        long previous = cursor.PreviousFirstTimestamp;
        cursor.PreviousSeriesId = series.Id;
        cursor.PreviousFirstTimestamp = timestamps[0];
        for (int i = 0; i < n; i++)
        {
            long t = timestamps[i];
            writer.WriteVarInt(unchecked(t - previous));
            previous = t;
        }

        int hint = series.ExponentHint;
        for (int i = 0; i < n; i++)
        {
            double value = values[i];
            if (DecimalCodec.TryScale(value, hint, out long integer))
            {
                writer.WriteVarUInt((VarInt.ZigZag(integer) << 5) | (uint)hint);
                continue;
            }

            // Usually a larger exponent is needed (more decimals than before); a huge counter may need a smaller one.
            int e = hint + 1;
            while (e <= DecimalCodec.MaxExponent && !DecimalCodec.TryScale(value, e, out integer))
            {
                e++;
            }

            if (e > DecimalCodec.MaxExponent)
            {
                e = 0;
                while (e < hint && !DecimalCodec.TryScale(value, e, out integer))
                {
                    e++;
                }

                e = e < hint ? e : DecimalCodec.MaxExponent + 1;
            }

            if (e <= DecimalCodec.MaxExponent)
            {
                writer.WriteVarUInt((VarInt.ZigZag(integer) << 5) | (uint)e);
                hint = e;
            }
            else
            {
                writer.WriteByte(RawToken);
                writer.WriteDouble(value);
            }
        }

        series.ExponentHint = hint;
        cursor.Entries++;
    }

    public static void End(ByteWriter writer) => Checksum.AppendFrom(writer, 0);

    /// <summary>Decodes a record; throws <see cref="ChunkFormatException"/> when it is corrupt.</summary>
    public static List<WriteAheadEntry> Read(ReadOnlySpan<byte> record)
    {
        ReadOnlySpan<byte> body = Checksum.Verify(record, "A write-ahead record");
        var reader = new ByteReader(body);
        byte version = reader.ReadByte();
        if (version != Version)
        {
            throw new ChunkFormatException($"A write-ahead record has format version {version}; this collector reads version {Version}.");
        }

        var entries = new List<WriteAheadEntry>();
        ulong seriesId = 0;
        long firstTimestamp = 0;
        while (!reader.AtEnd)
        {
            seriesId = unchecked((ulong)((long)seriesId + reader.ReadVarInt()));
            int n = reader.ReadCount(ChunkCodec.MaxSamples);
            if (n == 0)
            {
                throw new ChunkFormatException("A write-ahead entry declares zero samples.");
            }

            var timestamps = new long[n];
            long previous = firstTimestamp;
            for (int i = 0; i < n; i++)
            {
                previous = unchecked(previous + reader.ReadVarInt());
                timestamps[i] = previous;
            }

            firstTimestamp = timestamps[0];
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                ulong token = reader.ReadVarUInt();
                int e = (int)(token & 31);
                if (e == RawToken)
                {
                    if (token != RawToken)
                    {
                        throw new ChunkFormatException("A write-ahead raw value token carries extra bits.");
                    }

                    values[i] = reader.ReadDouble();
                }
                else if (e <= DecimalCodec.MaxExponent)
                {
                    values[i] = DecimalCodec.Unscale(VarInt.UnZigZag(token >> 5), e);
                }
                else
                {
                    throw new ChunkFormatException($"A write-ahead value declares exponent {e}.");
                }
            }

            entries.Add(new WriteAheadEntry(seriesId, timestamps, values));
        }

        return entries;
    }
}
