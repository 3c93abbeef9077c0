using System.Buffers.Binary;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Remembers across restarts which batches the collector acknowledged, so that a restart resends only what was
/// acknowledged since the last save (the collector drops those as duplicates) instead of everything still on disk.
/// </summary>
/// <remarks>
/// <code>
/// file = magic "OAACKS01" (8) | lanes u32 | per lane: floor u64, count u32, count × u64 | crc32c of all before (4)
/// </code>
/// Written whole to a temporary file and renamed over the old one, so a crash leaves the old or the new version. It is
/// not fsynced: losing it to a power cut costs resending batches, never losing them.
/// </remarks>
internal sealed class AckCheckpoint(string path)
{
    /// <summary>More out-of-order acknowledgements than this per lane are not saved (they are resent after a restart).</summary>
    private const int MaxSavedAboveFloor = 4096;

    private static ReadOnlySpan<byte> Magic => "OAACKS01"u8;

    public string Path { get; } = path;

    public string TemporaryPath => Path + ".tmp";

    /// <summary>Reads the saved state into <paramref name="lanes"/>; returns null, or why the file was ignored.</summary>
    public string? Read(LaneState[] lanes)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        byte[] data = File.ReadAllBytes(Path);
        if (data.Length < Magic.Length + 8 || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return "it is not an acknowledgement file (wrong length or magic)";
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4)) != Crc32C.Compute(data.AsSpan(0, data.Length - 4)))
        {
            return "it failed its checksum";
        }

        var body = data.AsSpan(Magic.Length, data.Length - Magic.Length - 4);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(body);
        body = body[4..];
        var floors = new ulong[lanes.Length];
        var above = new List<ulong>[lanes.Length];
        for (int lane = 0; lane < count; lane++)
        {
            if (body.Length < 12)
            {
                return "it ends early";
            }

            ulong floor = BinaryPrimitives.ReadUInt64LittleEndian(body);
            int n = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
            body = body[12..];
            if (n < 0 || body.Length < n * 8L)
            {
                return "it ends early";
            }

            var list = new List<ulong>(n);
            for (int i = 0; i < n; i++)
            {
                list.Add(BinaryPrimitives.ReadUInt64LittleEndian(body[(i * 8)..]));
            }

            body = body[(n * 8)..];
            if (lane < lanes.Length)
            {
                floors[lane] = floor;
                above[lane] = list;
            }
        }

        for (int lane = 0; lane < lanes.Length; lane++)
        {
            lanes[lane].Floor = floors[lane];
            lanes[lane].AckedAbove.Clear();
            foreach (ulong sequence in above[lane] ?? [])
            {
                lanes[lane].AckedAbove.Add(sequence);
            }
        }

        return null;
    }

    public void Write(LaneState[] lanes)
    {
        var buffer = new List<byte>(64);
        Span<byte> scratch = stackalloc byte[8];
        buffer.AddRange(Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)lanes.Length);
        buffer.AddRange(scratch[..4]);
        foreach (LaneState lane in lanes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(scratch, lane.Floor);
            buffer.AddRange(scratch);
            ulong[] above = lane.AckedAbove.Count <= MaxSavedAboveFloor ? [.. lane.AckedAbove] : [];
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)above.Length);
            buffer.AddRange(scratch[..4]);
            foreach (ulong sequence in above)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(scratch, sequence);
                buffer.AddRange(scratch);
            }
        }

        byte[] data = new byte[buffer.Count + 4];
        buffer.CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(buffer.Count), Crc32C.Compute(data.AsSpan(0, buffer.Count)));
        File.WriteAllBytes(TemporaryPath, data);
        File.Move(TemporaryPath, Path, overwrite: true);
    }
}
