using System.Buffers.Binary;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// The on-disk layout of an outbox segment file. Little-endian throughout.
/// </summary>
/// <remarks>
/// <code>
/// file   = header record*
/// header = magic "OAOUTBOX" (8) | version u16 | lane u8 | reserved u8 | crc32c of the 12 bytes before (4)
/// record = marker u32 | payload length u32 | sequence u64 | crc32c of length, sequence and payload (4) | payload
/// </code>
/// The payload is the serialized <c>TelemetryBatch</c>. The marker lets a reader that met a damaged record find the
/// next intact one (a record counts only if its marker, length and checksum all agree), so one flipped byte costs
/// one batch, not the rest of the file.
/// </remarks>
internal static class SegmentFormat
{
    public const int HeaderSize = 16;
    public const int RecordHeaderSize = 20;
    public const ushort Version = 1;
    public const uint RecordMarker = 0x7E4F_4252;

    /// <summary>A sanity bound on a record's length field: a larger value is damage, not data.</summary>
    public const int MaxPayloadBytes = 64 * 1024 * 1024;

    public const string Extension = ".seg";

    private static ReadOnlySpan<byte> Magic => "OAOUTBOX"u8;

    public static void WriteHeader(Span<byte> destination, OutboxLane lane)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], Version);
        destination[10] = (byte)lane;
        destination[11] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], Crc32C.Compute(destination[..12]));
    }

    /// <summary>Checks a header; returns null when it is valid, else what is wrong with it, for the log.</summary>
    public static string? CheckHeader(ReadOnlySpan<byte> header, int length, out OutboxLane lane)
    {
        lane = default;
        if (length == 0)
        {
            return "the file is empty (zero length)";
        }

        if (length < HeaderSize)
        {
            return $"the file is {length} bytes long, shorter than the {HeaderSize}-byte segment header";
        }

        if (!header[..8].SequenceEqual(Magic))
        {
            return "the file does not start with the outbox segment magic (OAOUTBOX): it is not an outbox segment or its start was overwritten";
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Crc32C.Compute(header[..12]))
        {
            return "the segment header failed its checksum";
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version != Version)
        {
            return $"the segment has format version {version}; this agent reads version {Version} (was the agent downgraded?)";
        }

        if (header[10] > (byte)OutboxLane.Logs)
        {
            return $"the segment header names lane {header[10]}, which does not exist";
        }

        lane = (OutboxLane)header[10];
        return null;
    }

    /// <summary>Fills the record header in front of a payload that is already in place at <see cref="RecordHeaderSize"/>.</summary>
    public static void WriteRecordHeader(Span<byte> record, ulong sequence)
    {
        int payloadLength = record.Length - RecordHeaderSize;
        BinaryPrimitives.WriteUInt32LittleEndian(record, RecordMarker);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)payloadLength);
        BinaryPrimitives.WriteUInt64LittleEndian(record[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(record[16..], RecordChecksum(record[4..16], record[RecordHeaderSize..]));
    }

    public static uint RecordChecksum(ReadOnlySpan<byte> lengthAndSequence, ReadOnlySpan<byte> payload) =>
        Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Seed, lengthAndSequence), payload));

    /// <summary>File name of a lane's segment that starts with <paramref name="firstSequence"/>; names sort in lane order.</summary>
    public static string FileName(OutboxLane lane, ulong firstSequence) =>
        $"{OutboxLaneNames.Name(lane)}-{firstSequence:D20}{Extension}";

    public static bool TryParseFileName(string fileName, out OutboxLane lane, out ulong firstSequence)
    {
        lane = default;
        firstSequence = 0;
        if (!fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        int dash = fileName.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !OutboxLaneNames.TryParse(fileName[..dash], out lane))
        {
            return false;
        }

        string digits = fileName[(dash + 1)..^Extension.Length];
        return digits.Length == 20 && ulong.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out firstSequence);
    }
}
