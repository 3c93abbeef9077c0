using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace OpsAgent.Agent.Outbox;

/// <summary>
/// Reads the records of one segment file in order with positional reads, verifying each record's checksum, and finds
/// the next intact record after a damaged one. Used to check segments at start-up and to read batches back when their
/// turn to be sent comes. Not thread-safe; the outbox uses it under its lock.
/// </summary>
internal sealed class SegmentScanner : IDisposable
{
    private const int ScanBlock = 64 * 1024;

    private static readonly byte[] MarkerBytes = BitConverter.IsLittleEndian
        ? BitConverter.GetBytes(SegmentFormat.RecordMarker)
        : [.. BitConverter.GetBytes(SegmentFormat.RecordMarker).Reverse()];

    private readonly SafeFileHandle _handle;
    private byte[] _buffer = new byte[4096];
    private byte[]? _scanBuffer;
    private int _recordLength;

    private SegmentScanner(SafeFileHandle handle) => _handle = handle;

    /// <summary>Opens a segment for reading. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    public static SegmentScanner Open(string path) =>
        new(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    public long Length => RandomAccess.GetLength(_handle);

    /// <summary>The whole record (header and payload) last returned by <see cref="TryRead"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Record => _buffer.AsSpan(0, _recordLength);

    /// <summary>The payload of the record last returned by <see cref="TryRead"/>.</summary>
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(SegmentFormat.RecordHeaderSize, _recordLength - SegmentFormat.RecordHeaderSize);

    /// <summary>Why the last <see cref="TryRead"/> returned <see cref="RecordStatus.Damaged"/>.</summary>
    public string Problem { get; private set; } = "";

    /// <summary>Checks the segment header; returns null when valid, else the problem.</summary>
    public string? ReadHeader(out OutboxLane lane)
    {
        long length = Length;
        Span<byte> header = stackalloc byte[SegmentFormat.HeaderSize];
        if (length < SegmentFormat.HeaderSize)
        {
            return SegmentFormat.CheckHeader(header, (int)length, out lane);
        }

        return SegmentFormat.CheckHeader(header, RandomAccess.Read(_handle, header, 0), out lane);
    }

    /// <summary>Reads and verifies the record at <paramref name="offset"/>, looking no further than <paramref name="limit"/>.</summary>
    public RecordStatus TryRead(long offset, long limit, out ulong sequence)
    {
        sequence = 0;
        _recordLength = 0;
        long remaining = limit - offset;
        if (remaining <= 0)
        {
            return RecordStatus.End;
        }

        if (remaining < SegmentFormat.RecordHeaderSize)
        {
            return Damaged($"the file ends {remaining} bytes into a record header (a write cut short)");
        }

        Span<byte> header = _buffer.AsSpan(0, SegmentFormat.RecordHeaderSize);
        if (RandomAccess.Read(_handle, header, offset) < SegmentFormat.RecordHeaderSize)
        {
            return Damaged("the file ended while reading a record header");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != SegmentFormat.RecordMarker)
        {
            return Damaged("a record does not start with the record marker");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length > SegmentFormat.MaxPayloadBytes)
        {
            return Damaged($"a record claims {length} bytes, more than any batch can be");
        }

        if (length > remaining - SegmentFormat.RecordHeaderSize)
        {
            return Damaged($"a record claims {length} bytes but the file ends after {remaining - SegmentFormat.RecordHeaderSize} (a write cut short)");
        }

        int total = SegmentFormat.RecordHeaderSize + (int)length;
        if (_buffer.Length < total)
        {
            byte[] larger = new byte[Math.Max(total, _buffer.Length * 2)];
            header.CopyTo(larger);
            _buffer = larger;
        }

        Span<byte> payload = _buffer.AsSpan(SegmentFormat.RecordHeaderSize, (int)length);
        if (RandomAccess.Read(_handle, payload, offset + SegmentFormat.RecordHeaderSize) < length)
        {
            return Damaged("the file ended while reading a record");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(16));
        if (stored != SegmentFormat.RecordChecksum(_buffer.AsSpan(4, 12), payload))
        {
            return Damaged("a record failed its checksum (its bytes changed after they were written)");
        }

        sequence = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(8));
        _recordLength = total;
        return RecordStatus.Intact;
    }

    /// <summary>The offset of the next intact record after <paramref name="from"/>, or -1 when there is none before <paramref name="limit"/>.</summary>
    public long Resync(long from, long limit)
    {
        _scanBuffer ??= new byte[ScanBlock];
        long position = from;
        while (position + SegmentFormat.RecordHeaderSize <= limit)
        {
            int read = RandomAccess.Read(_handle, _scanBuffer.AsSpan(0, (int)Math.Min(ScanBlock, limit - position)), position);
            if (read < MarkerBytes.Length)
            {
                return -1;
            }

            ReadOnlySpan<byte> block = _scanBuffer.AsSpan(0, read);
            int searched = 0;
            while (true)
            {
                int hit = block[searched..].IndexOf(MarkerBytes);
                if (hit < 0)
                {
                    break;
                }

                long candidate = position + searched + hit;
                if (TryRead(candidate, limit, out _) == RecordStatus.Intact)
                {
                    return candidate;
                }

                searched += hit + 1;
            }

            // Overlap the blocks by the marker's length so a marker split across two reads is still found.
            position += Math.Max(1, read - (MarkerBytes.Length - 1));
        }

        return -1;
    }

    public void Dispose() => _handle.Dispose();

    private RecordStatus Damaged(string problem)
    {
        Problem = problem;
        _recordLength = 0;
        return RecordStatus.Damaged;
    }
}
