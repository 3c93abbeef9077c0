using System.Buffers.Binary;
using System.Numerics;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// CRC-32C (Castagnoli) over outbox records, incremental so that a record's header fields and payload are covered
/// without copying them together. <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the SSE4.2 / ARMv8 instruction.
/// </summary>
internal static class Crc32C
{
    public const uint Seed = 0xFFFF_FFFFu;

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }

    public static uint Finish(uint crc) => ~crc;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Seed, data));
}
