using System.Text;
using OpsAgent.Collector.Storage.Chunks;

namespace OpsAgent.Collector.Storage;

/// <summary>Flat key/value string arrays as compact blobs (count, then length-prefixed UTF-8 strings).</summary>
internal static class LabelCodec
{
    public static byte[] Encode(IReadOnlyList<string> parts)
    {
        var writer = new ByteWriter(16 + (parts.Count * 16));
        writer.WriteVarUInt((ulong)parts.Count);
        foreach (string part in parts)
        {
            writer.WriteVarUInt((ulong)Encoding.UTF8.GetByteCount(part));
            writer.WriteBytes(Encoding.UTF8.GetBytes(part));
        }

        return writer.ToArray();
    }

    public static string[] Decode(ReadOnlySpan<byte> blob)
    {
        var reader = new ByteReader(blob);
        int count = reader.ReadCount(1 << 16);
        string[] parts = new string[count];
        for (int i = 0; i < count; i++)
        {
            int length = reader.ReadCount(1 << 20);
            parts[i] = Encoding.UTF8.GetString(reader.ReadBytes(length));
        }

        return parts;
    }
}
