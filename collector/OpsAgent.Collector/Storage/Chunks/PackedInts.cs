namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// Frame-of-reference bit packing in blocks of 128: each block stores its minimum and the bit width of
/// (value - minimum), then the packed offsets. Small blocks adapt to local ranges (one spike widens one block,
/// not the whole chunk), and a block of equal values costs two bytes in all.
/// </summary>
internal static class PackedInts
{
    public const int BlockSize = 128;

    public static int Size(ReadOnlySpan<long> values)
    {
        int size = 0;
        for (int start = 0; start < values.Length; start += BlockSize)
        {
            ReadOnlySpan<long> block = values.Slice(start, Math.Min(BlockSize, values.Length - start));
            (long min, int width) = Frame(block);
            size += VarInt.Size(VarInt.ZigZag(min)) + 1 + (((width * block.Length) + 7) >> 3);
        }

        return size;
    }

    public static void Write(ByteWriter writer, ReadOnlySpan<long> values)
    {
        for (int start = 0; start < values.Length; start += BlockSize)
        {
            ReadOnlySpan<long> block = values.Slice(start, Math.Min(BlockSize, values.Length - start));
            (long min, int width) = Frame(block);
            writer.WriteVarInt(min);
            writer.WriteByte((byte)width);
            if (width == 0)
            {
                continue;
            }

            foreach (long value in block)
            {
                writer.WriteBits(unchecked((ulong)(value - min)), width);
            }

            writer.FlushBits();
        }
    }

    public static void Read(ref ByteReader reader, Span<long> destination)
    {
        for (int start = 0; start < destination.Length; start += BlockSize)
        {
            Span<long> block = destination.Slice(start, Math.Min(BlockSize, destination.Length - start));
            long min = reader.ReadVarInt();
            int width = reader.ReadByte();
            if (width > 64)
            {
                throw new ChunkFormatException($"A packed block declares a bit width of {width}.");
            }

            if (width == 0)
            {
                block.Fill(min);
                continue;
            }

            reader.BeginBits();
            for (int i = 0; i < block.Length; i++)
            {
                block[i] = unchecked(min + (long)reader.ReadBits(width));
            }

            reader.EndBits();
        }
    }

    private static (long Min, int Width) Frame(ReadOnlySpan<long> block)
    {
        long min = block[0];
        long max = block[0];
        for (int i = 1; i < block.Length; i++)
        {
            long value = block[i];
            if (value < min)
            {
                min = value;
            }
            else if (value > max)
            {
                max = value;
            }
        }

        // The true range of two longs is below 2^64, so the unsigned difference is exact even when it overflows long.
        return (min, VarInt.BitWidth(unchecked((ulong)(max - min))));
    }
}
