using System.Buffers.Binary;

namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// Reads what <see cref="ByteWriter"/> wrote. Every read is bounds-checked and reports a truncated or malformed
/// record as <see cref="ChunkFormatException"/>, never as an index exception deep in a query.
/// </summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private long _bitPosition;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        _bitPosition = -1;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position >= _data.Length;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated();
        }

        return _data[_position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || _position + count > _data.Length)
        {
            throw Truncated();
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public ulong ReadUInt64()
    {
        if (_position + 8 > _data.Length)
        {
            throw Truncated();
        }

        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadUInt64());

    public ulong ReadVarUInt()
    {
        ulong result = 0;
        int shift = 0;
        while (true)
        {
            if (_position >= _data.Length)
            {
                throw Truncated();
            }

            byte b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                throw new ChunkFormatException("A varint is longer than 64 bits.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new ChunkFormatException("A varint is longer than 64 bits.");
            }
        }
    }

    public long ReadVarInt() => VarInt.UnZigZag(ReadVarUInt());

    /// <summary>Reads a varint that must fit an int in [0, max].</summary>
    public int ReadCount(int max)
    {
        ulong value = ReadVarUInt();
        if (value > (ulong)max)
        {
            throw new ChunkFormatException($"A count of {value} exceeds the limit of {max}.");
        }

        return (int)value;
    }

    /// <summary>Starts reading bits at the current byte.</summary>
    public void BeginBits() => _bitPosition = (long)_position * 8;

    /// <summary>Ends bit reading and moves to the next whole byte.</summary>
    public void EndBits()
    {
        _position = (int)((_bitPosition + 7) >> 3);
        _bitPosition = -1;
    }

    public ulong ReadBits(int count)
    {
        if (count == 0)
        {
            return 0;
        }

        long end = _bitPosition + count;
        if (end > (long)_data.Length * 8)
        {
            throw Truncated();
        }

        int byteIndex = (int)(_bitPosition >> 3);
        int shift = (int)(_bitPosition & 7);
        ulong word = Load64(byteIndex) >> shift;
        if (shift + count > 64)
        {
            word |= (ulong)_data[byteIndex + 8] << (64 - shift);
        }

        _bitPosition = end;
        return count == 64 ? word : word & ((1UL << count) - 1);
    }

    public bool ReadBit() => ReadBits(1) != 0;

    private readonly ulong Load64(int byteIndex)
    {
        if (byteIndex + 8 <= _data.Length)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(_data[byteIndex..]);
        }

        ulong word = 0;
        for (int i = 0; byteIndex + i < _data.Length; i++)
        {
            word |= (ulong)_data[byteIndex + i] << (8 * i);
        }

        return word;
    }

    private static ChunkFormatException Truncated() => new("The record ends before its declared content.");
}
