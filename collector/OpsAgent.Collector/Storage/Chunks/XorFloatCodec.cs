using System.Numerics;

namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// Gorilla's XOR float encoding (Pelkonen et al., VLDB 2015): each value is XORed with the previous one; an equal
/// value costs one bit, and a change reuses the previous window of meaningful bits when it fits. It works on the raw
/// bit patterns, so NaN payloads, signed zeros, infinities and subnormals round-trip exactly. It is the fallback for
/// values that are not short decimals (ratios computed by division, floating-point sums).
/// </summary>
internal static class XorFloatCodec
{
    public static long SizeInBits(ReadOnlySpan<double> values)
    {
        long bits = 64;
        ulong previous = BitConverter.DoubleToUInt64Bits(values[0]);
        int previousLeading = -1;
        int previousTrailing = 0;
        for (int i = 1; i < values.Length; i++)
        {
            ulong current = BitConverter.DoubleToUInt64Bits(values[i]);
            ulong xor = current ^ previous;
            previous = current;
            if (xor == 0)
            {
                bits += 1;
                continue;
            }

            int leading = BitOperations.LeadingZeroCount(xor);
            int trailing = BitOperations.TrailingZeroCount(xor);
            if (previousLeading >= 0 && leading >= previousLeading && trailing >= previousTrailing)
            {
                bits += 2 + (64 - previousLeading - previousTrailing);
            }
            else
            {
                bits += 2 + 6 + 6 + (64 - leading - trailing);
                previousLeading = leading;
                previousTrailing = trailing;
            }
        }

        return bits;
    }

    public static void Encode(ReadOnlySpan<double> values, ByteWriter writer)
    {
        ulong previous = BitConverter.DoubleToUInt64Bits(values[0]);
        writer.WriteUInt64(previous);
        int previousLeading = -1;
        int previousTrailing = 0;
        for (int i = 1; i < values.Length; i++)
        {
            ulong current = BitConverter.DoubleToUInt64Bits(values[i]);
            ulong xor = current ^ previous;
            previous = current;
            if (xor == 0)
            {
                writer.WriteBits(0, 1);
                continue;
            }

            int leading = BitOperations.LeadingZeroCount(xor);
            int trailing = BitOperations.TrailingZeroCount(xor);
            if (previousLeading >= 0 && leading >= previousLeading && trailing >= previousTrailing)
            {
                writer.WriteBits(0b01, 2);
                writer.WriteBits(xor >> previousTrailing, 64 - previousLeading - previousTrailing);
            }
            else
            {
                int length = 64 - leading - trailing;
                writer.WriteBits(0b11, 2);
                writer.WriteBits((ulong)leading, 6);
                writer.WriteBits((ulong)(length - 1), 6);
                writer.WriteBits(xor >> trailing, length);
                previousLeading = leading;
                previousTrailing = trailing;
            }
        }

        writer.FlushBits();
    }

    public static void Decode(ref ByteReader reader, Span<double> destination)
    {
        ulong previous = reader.ReadUInt64();
        destination[0] = BitConverter.UInt64BitsToDouble(previous);
        if (destination.Length == 1)
        {
            return;
        }

        int leading = -1;
        int trailing = 0;
        reader.BeginBits();
        for (int i = 1; i < destination.Length; i++)
        {
            if (reader.ReadBit())
            {
                if (reader.ReadBit())
                {
                    leading = (int)reader.ReadBits(6);
                    int length = (int)reader.ReadBits(6) + 1;
                    trailing = 64 - leading - length;
                    if (trailing < 0)
                    {
                        throw new ChunkFormatException("An XOR-encoded value declares more than 64 meaningful bits.");
                    }
                }
                else if (leading < 0)
                {
                    throw new ChunkFormatException("An XOR-encoded value reuses a window that was never set.");
                }

                int meaningful = 64 - leading - trailing;
                previous ^= reader.ReadBits(meaningful) << trailing;
            }

            destination[i] = BitConverter.UInt64BitsToDouble(previous);
        }

        reader.EndBits();
    }
}
