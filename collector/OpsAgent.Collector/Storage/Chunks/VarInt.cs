using System.Numerics;

namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>LEB128 varints and zigzag mapping, shared by the chunk and write-ahead formats.</summary>
internal static class VarInt
{
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Bytes a varint of <paramref name="value"/> takes.</summary>
    public static int Size(ulong value) => value == 0 ? 1 : ((64 - BitOperations.LeadingZeroCount(value)) + 6) / 7;

    /// <summary>Bits needed to hold <paramref name="value"/> (0 for 0).</summary>
    public static int BitWidth(ulong value) => 64 - BitOperations.LeadingZeroCount(value);
}
