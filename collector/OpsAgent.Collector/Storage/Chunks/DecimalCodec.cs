using System.Buffers;

namespace OpsAgent.Collector.Storage.Chunks;

/// <summary>
/// Decimal mode, in the spirit of ALP (Afroozeh, Kuffó, Boncz, SIGMOD 2024): host metrics are mostly short decimals
/// (a utilisation rounded to 4 places, a byte count, a temperature in tenths) whose binary patterns look random
/// to XOR encoding. Such a value v equals n / 10^e exactly for a small integer n, and the chunk then stores the
/// integers, as values, deltas or deltas of deltas (counters that grow at a steady rate), bit-packed per block.
/// </summary>
/// <remarks>
/// Lossless by construction: a value is taken only if dividing its integer by 10^e gives back the same bits
/// (division by an exact power of ten is correctly rounded, so a decimal parsed from text always qualifies). Values
/// that do not qualify (NaN, infinities, -0.0, too many digits, magnitudes over 2^53) are stored raw as exceptions
/// at their positions, so one odd value does not push a chunk out of this mode.
/// </remarks>
internal static class DecimalCodec
{
    public const int MaxExponent = 18;

    private const double MaxExactInteger = 9007199254740992.0; // 2^53

    private static readonly double[] Powers =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    ];

    /// <summary>The smallest encoding this mode can produce for the values, or null when the mode does not fit.</summary>
    public static DecimalPlan? Plan(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        int[] minimal = ArrayPool<int>.Shared.Rent(n);
        Span<int> histogram = stackalloc int[MaxExponent + 1];
        histogram.Clear();
        int failures = 0;
        int hint = 0;
        for (int i = 0; i < n; i++)
        {
            int e = MinimalExponent(values[i], hint);
            minimal[i] = e;
            if (e < 0)
            {
                failures++;
            }
            else
            {
                histogram[e]++;
                hint = e;
            }
        }

        DecimalPlan? best = null;
        if (failures <= n / 2)
        {
            long[] work = ArrayPool<long>.Shared.Rent(n);
            long[] scratch = ArrayPool<long>.Shared.Rent(n);
            int covered = 0;
            for (int e = 0; e <= MaxExponent; e++)
            {
                if (histogram[e] == 0)
                {
                    continue;
                }

                covered += histogram[e];
                int exceptions = n - covered;
                if (exceptions > n / 2)
                {
                    continue;
                }

                DecimalPlan candidate = Evaluate(values, minimal.AsSpan(0, n), e, work, scratch);
                if (best is null || candidate.Size < best.Size)
                {
                    // Keep the better plan's integers; evaluate the next candidate into the other buffer.
                    work = best?.Integers ?? ArrayPool<long>.Shared.Rent(n);
                    best = candidate;
                }
            }

            ArrayPool<long>.Shared.Return(work);
            ArrayPool<long>.Shared.Return(scratch);
        }

        ArrayPool<int>.Shared.Return(minimal);
        return best;
    }

    public static void Write(DecimalPlan plan, ReadOnlySpan<double> values, ByteWriter writer)
    {
        writer.WriteByte((byte)plan.Exponent);
        writer.WriteVarUInt((ulong)plan.ExceptionCount);
        int last = 0;
        for (int i = 0; i < values.Length && plan.ExceptionCount > 0; i++)
        {
            if (plan.IsException(i))
            {
                writer.WriteVarUInt((ulong)(i - last));
                writer.WriteDouble(values[i]);
                last = i;
            }
        }

        int n = values.Length;
        long[] ints = plan.Integers;
        long[] scratch = ArrayPool<long>.Shared.Rent(n);
        writer.WriteByte((byte)plan.Order);
        switch (plan.Order)
        {
            case 0:
                PackedInts.Write(writer, ints.AsSpan(0, n));
                break;
            case 1:
                writer.WriteVarInt(ints[0]);
                PackedInts.Write(writer, Differences(ints, n, 1, scratch));
                break;
            default:
                writer.WriteVarInt(ints[0]);
                if (n > 1)
                {
                    writer.WriteVarInt(ints[1] - ints[0]);
                }

                PackedInts.Write(writer, Differences(ints, n, 2, scratch));
                break;
        }

        ArrayPool<long>.Shared.Return(scratch);
    }

    /// <summary>Returns the plan's pooled buffer; the plan must not be used afterwards.</summary>
    public static void Release(DecimalPlan plan) => ArrayPool<long>.Shared.Return(plan.Integers);

    public static void Decode(ref ByteReader reader, Span<double> destination)
    {
        int n = destination.Length;
        int exponent = reader.ReadByte();
        if (exponent > MaxExponent)
        {
            throw new ChunkFormatException($"A decimal chunk declares exponent {exponent}.");
        }

        int exceptionCount = reader.ReadCount(n);
        Span<int> positions = exceptionCount <= 64 ? stackalloc int[exceptionCount] : new int[exceptionCount];
        Span<double> raw = exceptionCount <= 64 ? stackalloc double[exceptionCount] : new double[exceptionCount];
        int position = 0;
        for (int i = 0; i < exceptionCount; i++)
        {
            position += reader.ReadCount(n);
            if (position >= n)
            {
                throw new ChunkFormatException("A decimal exception lies past the end of its chunk.");
            }

            positions[i] = position;
            raw[i] = reader.ReadDouble();
        }

        int order = reader.ReadByte();
        long[] ints = ArrayPool<long>.Shared.Rent(n);
        Span<long> values = ints.AsSpan(0, n);
        switch (order)
        {
            case 0:
                PackedInts.Read(ref reader, values);
                break;
            case 1:
                values[0] = reader.ReadVarInt();
                PackedInts.Read(ref reader, values[1..]);
                for (int i = 1; i < n; i++)
                {
                    values[i] = unchecked(values[i - 1] + values[i]);
                }

                break;
            case 2:
                values[0] = reader.ReadVarInt();
                if (n > 1)
                {
                    long delta = reader.ReadVarInt();
                    values[1] = unchecked(values[0] + delta);
                    PackedInts.Read(ref reader, values[2..]);
                    for (int i = 2; i < n; i++)
                    {
                        delta = unchecked(delta + values[i]);
                        values[i] = unchecked(values[i - 1] + delta);
                    }
                }

                break;
            default:
                ArrayPool<long>.Shared.Return(ints);
                throw new ChunkFormatException($"Unknown decimal integer order {order}.");
        }

        double power = Powers[exponent];
        for (int i = 0; i < n; i++)
        {
            destination[i] = values[i] / power;
        }

        ArrayPool<long>.Shared.Return(ints);
        for (int i = 0; i < exceptionCount; i++)
        {
            destination[positions[i]] = raw[i];
        }
    }

    /// <summary>Scales <paramref name="value"/> to an integer when value == n / 10^e holds bit for bit.</summary>
    public static bool TryScale(double value, int exponent, out long integer)
    {
        double power = Powers[exponent];
        double scaled = value * power;
        if (!(Math.Abs(scaled) <= MaxExactInteger))
        {
            integer = 0;
            return false; // NaN, infinities and magnitudes beyond exact integers.
        }

        integer = (long)Math.Round(scaled);
        return BitConverter.DoubleToInt64Bits(integer / power) == BitConverter.DoubleToInt64Bits(value);
    }

    public static double Unscale(long integer, int exponent) => integer / Powers[exponent];

    /// <summary>
    /// The smallest exponent that represents the value, or -1. A value exact at e is exact at every larger e (while
    /// the integer stays below 2^53), so the search starts at the previous value's exponent and walks down or up.
    /// </summary>
    public static int MinimalExponent(double value, int hint)
    {
        if (TryScale(value, hint, out _))
        {
            int e = hint;
            while (e > 0 && TryScale(value, e - 1, out _))
            {
                e--;
            }

            return e;
        }

        for (int e = hint + 1; e <= MaxExponent; e++)
        {
            if (TryScale(value, e, out _))
            {
                return e;
            }
        }

        return -1;
    }

    private static DecimalPlan Evaluate(ReadOnlySpan<double> values, ReadOnlySpan<int> minimal, int exponent, long[] ints, long[] scratch)
    {
        int n = values.Length;
        bool[]? exceptions = null;
        int exceptionCount = 0;
        int exceptionBytes = 0;
        int lastException = 0;
        long previous = 0;
        for (int i = 0; i < n; i++)
        {
            if (minimal[i] >= 0 && minimal[i] <= exponent && TryScale(values[i], exponent, out long integer))
            {
                ints[i] = integer;
                previous = integer;
                continue;
            }

            // An exception keeps the previous integer in its slot, so its delta is zero and it does not widen a block.
            exceptions ??= new bool[n];
            exceptions[i] = true;
            exceptionCount++;
            exceptionBytes += VarInt.Size((ulong)(i - lastException)) + 8;
            lastException = i;
            ints[i] = previous;
        }

        if (exceptions is not null && exceptions[0])
        {
            // Seed the first slot from the first regular value so leading exceptions cost no width either.
            int firstRegular = Array.IndexOf(exceptions, false, 0, n);
            long seed = firstRegular >= 0 ? ints[firstRegular] : 0;
            for (int i = 0; i < n && exceptions[i]; i++)
            {
                ints[i] = seed;
            }
        }

        int header = 1 + VarInt.Size((ulong)exceptionCount) + exceptionBytes + 1;
        int size0 = PackedInts.Size(ints.AsSpan(0, n));
        int size1 = VarInt.Size(VarInt.ZigZag(ints[0])) + PackedInts.Size(Differences(ints, n, 1, scratch));
        int size2 = n > 1
            ? VarInt.Size(VarInt.ZigZag(ints[0])) + VarInt.Size(VarInt.ZigZag(ints[1] - ints[0])) + PackedInts.Size(Differences(ints, n, 2, scratch))
            : int.MaxValue;
        int order = size0 <= size1 && size0 <= size2 ? 0 : size1 <= size2 ? 1 : 2;
        int size = header + Math.Min(size0, Math.Min(size1, size2));
        return new DecimalPlan(exponent, ints, exceptions, exceptionCount, order, size);
    }

    private static ReadOnlySpan<long> Differences(long[] ints, int n, int order, long[] scratch)
    {
        if (order == 1)
        {
            for (int i = 1; i < n; i++)
            {
                scratch[i - 1] = unchecked(ints[i] - ints[i - 1]);
            }

            return scratch.AsSpan(0, Math.Max(0, n - 1));
        }

        for (int i = 2; i < n; i++)
        {
            scratch[i - 2] = unchecked(ints[i] - (2 * ints[i - 1]) + ints[i - 2]);
        }

        return scratch.AsSpan(0, Math.Max(0, n - 2));
    }
}
