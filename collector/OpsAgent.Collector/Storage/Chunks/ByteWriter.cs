using System.Buffers.Binary;

namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// A growable byte buffer with varint and bit-level writes, reused across encodes so the hot path does not allocate.
/// Bits are packed least-significant first into little-endian 64-bit words, which keeps both directions branch-light.
/// </summary>
internal sealed class ByteWriter
{
    private byte[] _buffer;
    private int _length;
    private ulong _bitAccumulator;
    private int _bitCount;

    public ByteWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Reset()
    {
        _length = 0;
        _bitAccumulator = 0;
        _bitCount = 0;
    }

    /// <summary>Overwrites one byte already written (a header field known only after the body).</summary>
    public void Patch(int position, byte value) => _buffer[position] = value;

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteDouble(double value) => WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    public void WriteVarUInt(ulong value)
    {
        Ensure(10);
        byte[] buffer = _buffer;
        int length = _length;
        while (value >= 0x80)
        {
            buffer[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[length++] = (byte)value;
        _length = length;
    }

    public void WriteVarInt(long value) => WriteVarUInt(VarInt.ZigZag(value));

    /// <summary>Appends the low <paramref name="count"/> bits (0..64) of <paramref name="value"/>.</summary>
    public void WriteBits(ulong value, int count)
    {
        if (count == 0)
        {
            return;
        }

        if (count < 64)
        {
            value &= (1UL << count) - 1;
        }

        _bitAccumulator |= value << _bitCount;
        int total = _bitCount + count;
        if (total >= 64)
        {
            WriteUInt64(_bitAccumulator);
            // C# masks shift counts to 6 bits, so a shift by 64 must not happen.
            _bitAccumulator = _bitCount == 0 ? 0 : value >> (64 - _bitCount);
            total -= 64;
        }

        _bitCount = total;
    }

    /// <summary>Writes the pending bits, padded with zeros to a whole byte.</summary>
    public void FlushBits()
    {
        int bytes = (_bitCount + 7) >> 3;
        Ensure(8);
        ulong accumulator = _bitAccumulator;
        for (int i = 0; i < bytes; i++)
        {
            _buffer[_length++] = (byte)accumulator;
            accumulator >>= 8;
        }

        _bitAccumulator = 0;
        _bitCount = 0;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
