using System.Buffers;

namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// Timestamps after the first, in one of three forms chosen per chunk by exact size:
/// <list type="bullet">
/// <item><b>Regular</b>: every interval equal (a fixed collection interval without jitter): one varint in all.</item>
/// <item><b>Packed deltas</b>: intervals bit-packed per block; best for jittered intervals (1000 ± a few ms packs
/// into a few bits, where delta-of-delta needs nine).</item>
/// <item><b>Gorilla delta-of-delta</b>: one bit per unchanged interval; best for regular series with rare gaps.</item>
/// <item><b>Grid offsets</b>: each timestamp's offset from a regular grid (first timestamp plus i times the mean
/// interval), bit-packed per block. Timer jitter of ±3 ms is 7 possible offsets, 3 bits, where packed intervals
/// (which differ by up to twice the jitter) need 4.</item>
/// </list>
/// Arithmetic is unchecked on both sides, so any sequence of longs round-trips, even one that overflows.
/// </summary>
internal static class TimestampCodec
{
    public const byte Regular = 0;
    public const byte Packed = 1;
    public const byte DeltaOfDelta = 2;
    public const byte Grid = 3;

    public static byte Encode(ReadOnlySpan<long> timestamps, ByteWriter writer)
    {
        int n = timestamps.Length;
        if (n == 1)
        {
            return Regular;
        }

        long[] rented = ArrayPool<long>.Shared.Rent(2 * (n - 1));
        try
        {
            return Encode(timestamps, rented.AsSpan(0, n - 1), rented.AsSpan(n - 1, n - 1), writer);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    private static byte Encode(ReadOnlySpan<long> timestamps, Span<long> deltas, Span<long> offsets, ByteWriter writer)
    {
        int n = timestamps.Length;
        bool regular = true;
        for (int i = 1; i < n; i++)
        {
            deltas[i - 1] = unchecked(timestamps[i] - timestamps[i - 1]);
            regular &= deltas[i - 1] == deltas[0];
        }

        if (regular)
        {
            writer.WriteVarInt(deltas[0]);
            return Regular;
        }

        long step = GridStep(timestamps);
        for (int i = 1; i < n; i++)
        {
            offsets[i - 1] = unchecked(timestamps[i] - (timestamps[0] + (i * step)));
        }

        int packedSize = PackedInts.Size(deltas);
        int gridSize = VarInt.Size(VarInt.ZigZag(step)) + PackedInts.Size(offsets);
        int dodSize = (int)(VarInt.Size(VarInt.ZigZag(deltas[0])) + ((DeltaOfDeltaBits(deltas) + 7) >> 3));
        if (gridSize < packedSize && gridSize <= dodSize)
        {
            writer.WriteVarInt(step);
            PackedInts.Write(writer, offsets);
            return Grid;
        }

        if (packedSize <= dodSize)
        {
            PackedInts.Write(writer, deltas);
            return Packed;
        }

        writer.WriteVarInt(deltas[0]);
        for (int i = 1; i < deltas.Length; i++)
        {
            ulong zz = VarInt.ZigZag(unchecked(deltas[i] - deltas[i - 1]));
            if (zz == 0)
            {
                writer.WriteBits(0, 1);
            }
            else if (zz < 1UL << 7)
            {
                writer.WriteBits(0b01, 2);
                writer.WriteBits(zz, 7);
            }
            else if (zz < 1UL << 9)
            {
                writer.WriteBits(0b011, 3);
                writer.WriteBits(zz, 9);
            }
            else if (zz < 1UL << 12)
            {
                writer.WriteBits(0b0111, 4);
                writer.WriteBits(zz, 12);
            }
            else
            {
                writer.WriteBits(0b1111, 4);
                writer.WriteBits(zz, 64);
            }
        }

        writer.FlushBits();
        return DeltaOfDelta;
    }

    public static void Decode(ref ByteReader reader, byte mode, long first, Span<long> destination)
    {
        destination[0] = first;
        int n = destination.Length;
        if (n == 1)
        {
            return;
        }

        switch (mode)
        {
            case Regular:
                {
                    long delta = reader.ReadVarInt();
                    for (int i = 1; i < n; i++)
                    {
                        destination[i] = unchecked(destination[i - 1] + delta);
                    }

                    break;
                }

            case Packed:
                {
                    Span<long> deltas = destination[1..];
                    PackedInts.Read(ref reader, deltas);
                    for (int i = 1; i < n; i++)
                    {
                        destination[i] = unchecked(destination[i - 1] + destination[i]);
                    }

                    break;
                }

            case Grid:
                {
                    long step = reader.ReadVarInt();
                    PackedInts.Read(ref reader, destination[1..]);
                    for (int i = 1; i < n; i++)
                    {
                        destination[i] = unchecked(first + (i * step) + destination[i]);
                    }

                    break;
                }

            case DeltaOfDelta:
                {
                    long delta = reader.ReadVarInt();
                    destination[1] = unchecked(first + delta);
                    reader.BeginBits();
                    for (int i = 2; i < n; i++)
                    {
                        ulong zz;
                        if (!reader.ReadBit())
                        {
                            zz = 0;
                        }
                        else if (!reader.ReadBit())
                        {
                            zz = reader.ReadBits(7);
                        }
                        else if (!reader.ReadBit())
                        {
                            zz = reader.ReadBits(9);
                        }
                        else if (!reader.ReadBit())
                        {
                            zz = reader.ReadBits(12);
                        }
                        else
                        {
                            zz = reader.ReadBits(64);
                        }

                        delta = unchecked(delta + VarInt.UnZigZag(zz));
                        destination[i] = unchecked(destination[i - 1] + delta);
                    }

                    reader.EndBits();
                    break;
                }

            default:
                throw new ChunkFormatException($"Unknown timestamp encoding {mode}.");
        }
    }

    /// <summary>The mean interval, so offsets from the grid stay centred on zero.</summary>
    private static long GridStep(ReadOnlySpan<long> timestamps) =>
        unchecked(timestamps[^1] - timestamps[0]) / (timestamps.Length - 1);

    private static long DeltaOfDeltaBits(ReadOnlySpan<long> deltas)
    {
        long bits = 0;
        for (int i = 1; i < deltas.Length; i++)
        {
            ulong zz = VarInt.ZigZag(unchecked(deltas[i] - deltas[i - 1]));
            bits += zz == 0 ? 1 : zz < 1UL << 7 ? 9 : zz < 1UL << 9 ? 12 : zz < 1UL << 12 ? 16 : 68;
        }

        return bits;
    }
}
