using System.Buffers.Binary;
using System.Numerics;

namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// CRC-32C over stored records. SQLite does not checksum page contents, so without this a flipped bit in a blob
/// would decode into plausible but wrong samples; with it, the record is detected and quarantined.
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the SSE4.2 / ARMv8 instruction where available.
/// </summary>
internal static class Checksum
{
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFFu;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return ~crc;
    }

    /// <summary>Appends the checksum of everything written from <paramref name="start"/> on.</summary>
    public static void AppendFrom(ByteWriter writer, int start)
    {
        uint crc = Crc32C(writer.WrittenSpan[start..]);
        writer.WriteUInt32(crc);
    }

    /// <summary>Returns the record without its trailing checksum, or throws when the checksum does not match.</summary>
    public static ReadOnlySpan<byte> Verify(ReadOnlySpan<byte> record, string what)
    {
        if (record.Length < 4)
        {
            throw new ChunkFormatException($"{what} is {record.Length} bytes long, shorter than its checksum.");
        }

        ReadOnlySpan<byte> body = record[..^4];
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(record[^4..]);
        uint actual = Crc32C(body);
        if (expected != actual)
        {
            throw new ChunkFormatException($"{what} failed its checksum (stored 0x{expected:x8}, computed 0x{actual:x8}).");
        }

        return body;
    }
}
