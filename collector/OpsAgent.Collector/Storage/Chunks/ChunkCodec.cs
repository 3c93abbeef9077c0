namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// The on-disk form of a run of samples of one series (a closed chunk or a head snapshot).
/// </summary>
/// <remarks>
/// Layout: version byte, sample count, first timestamp, a byte with the timestamp and value encodings, the two
/// sections, and a CRC-32C. Each chunk picks, by exact encoded size, the smallest timestamp encoding
/// (<see cref="TimestampCodec"/>) and the smallest value encoding among constant, decimal (<see cref="DecimalCodec"/>),
/// Gorilla XOR (<see cref="XorFloatCodec"/>) and raw; the choice is per chunk because a series changes character
/// (a gauge that is flat overnight, a counter that stalls), and choosing costs nothing at read time.
/// </remarks>
internal static class ChunkCodec
{
    public const byte Version = 1;

    /// <summary>Upper bound on samples in one encoded run, to refuse absurd counts from corrupt records.</summary>
    public const int MaxSamples = 1 << 24;

    private const byte ValueRaw = 0;
    private const byte ValueConstant = 1;
    private const byte ValueXor = 2;
    private const byte ValueDecimal = 3;

    /// <summary>Appends the encoded chunk (with its checksum) to <paramref name="writer"/>.</summary>
    public static void Encode(ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values, ByteWriter writer)
    {
        if (timestamps.Length != values.Length || timestamps.Length == 0)
        {
            throw new ArgumentException("A chunk needs at least one sample and as many values as timestamps.", nameof(values));
        }

        int start = writer.Length;
        int n = timestamps.Length;
        writer.WriteByte(Version);
        writer.WriteVarUInt((ulong)n);
        writer.WriteVarInt(timestamps[0]);
        int modesAt = writer.Length;
        writer.WriteByte(0);
        byte timestampMode = TimestampCodec.Encode(timestamps, writer);
        byte valueMode = EncodeValues(values, writer);
        writer.Patch(modesAt, (byte)(timestampMode | (valueMode << 4)));
        Checksum.AppendFrom(writer, start);
    }

    /// <summary>Encodes to a new array.</summary>
    public static byte[] Encode(ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values)
    {
        var writer = new ByteWriter(64 + (timestamps.Length * 2));
        Encode(timestamps, values, writer);
        return writer.ToArray();
    }

    /// <summary>Decodes a chunk; throws <see cref="ChunkFormatException"/> when it is corrupt.</summary>
    public static (long[] Timestamps, double[] Values) Decode(ReadOnlySpan<byte> chunk)
    {
        ReadOnlySpan<byte> body = Checksum.Verify(chunk, "A chunk");
        var reader = new ByteReader(body);
        byte version = reader.ReadByte();
        if (version != Version)
        {
            throw new ChunkFormatException($"A chunk has format version {version}; this collector reads version {Version}.");
        }

        int n = reader.ReadCount(MaxSamples);
        if (n == 0)
        {
            throw new ChunkFormatException("A chunk declares zero samples.");
        }

        long first = reader.ReadVarInt();
        byte modes = reader.ReadByte();
        var timestamps = new long[n];
        var values = new double[n];
        TimestampCodec.Decode(ref reader, (byte)(modes & 0x0F), first, timestamps);
        DecodeValues(ref reader, (byte)(modes >> 4), values);
        if (!reader.AtEnd)
        {
            throw new ChunkFormatException($"A chunk has {reader.Remaining} bytes after its last section.");
        }

        return (timestamps, values);
    }

    private static byte EncodeValues(ReadOnlySpan<double> values, ByteWriter writer)
    {
        ulong firstBits = BitConverter.DoubleToUInt64Bits(values[0]);
        bool constant = true;
        for (int i = 1; i < values.Length && constant; i++)
        {
            constant = BitConverter.DoubleToUInt64Bits(values[i]) == firstBits;
        }

        if (constant)
        {
            writer.WriteUInt64(firstBits);
            return ValueConstant;
        }

        long rawSize = 8L * values.Length;
        long xorSize = (XorFloatCodec.SizeInBits(values) + 7) >> 3;
        DecimalPlan? plan = DecimalCodec.Plan(values);
        if (plan is not null)
        {
            try
            {
                if (plan.Size <= xorSize && plan.Size <= rawSize)
                {
                    DecimalCodec.Write(plan, values, writer);
                    return ValueDecimal;
                }
            }
            finally
            {
                DecimalCodec.Release(plan);
            }
        }

        if (xorSize <= rawSize)
        {
            XorFloatCodec.Encode(values, writer);
            return ValueXor;
        }

        foreach (double value in values)
        {
            writer.WriteDouble(value);
        }

        return ValueRaw;
    }

    private static void DecodeValues(ref ByteReader reader, byte mode, Span<double> destination)
    {
        switch (mode)
        {
            case ValueRaw:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = reader.ReadDouble();
                }

                break;
            case ValueConstant:
                destination.Fill(reader.ReadDouble());
                break;
            case ValueXor:
                XorFloatCodec.Decode(ref reader, destination);
                break;
            case ValueDecimal:
                DecimalCodec.Decode(ref reader, destination);
                break;
            default:
                throw new ChunkFormatException($"Unknown value encoding {mode}.");
        }
    }
}
