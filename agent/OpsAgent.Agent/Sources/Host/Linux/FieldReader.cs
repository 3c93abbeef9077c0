using System.Globalization;

namespace OpsAgent.Agent.Sources.Host.Linux;

/// <summary>
/// Walks the fields of one line of kernel text, separated by runs of spaces or tabs, without allocating.
/// </summary>
internal ref struct FieldReader
{
    private ReadOnlySpan<char> _rest;

    public FieldReader(ReadOnlySpan<char> line)
    {
        _rest = line;
    }

    /// <summary>What is left of the line after the fields read so far, without leading blanks.</summary>
    public readonly ReadOnlySpan<char> Rest => _rest.TrimStart(" \t");

    public bool TryNext(out ReadOnlySpan<char> field)
    {
        _rest = _rest.TrimStart(" \t");
        if (_rest.IsEmpty)
        {
            field = default;
            return false;
        }

        int end = _rest.IndexOfAny(' ', '\t');
        if (end < 0)
        {
            field = _rest;
            _rest = default;
        }
        else
        {
            field = _rest[..end];
            _rest = _rest[end..];
        }

        return true;
    }

    public bool TryNextUInt64(out ulong value)
    {
        value = 0;
        return TryNext(out ReadOnlySpan<char> field) && TryParseUInt64(field, out value);
    }

    public bool TryNextDouble(out double value)
    {
        value = 0;
        return TryNext(out ReadOnlySpan<char> field) && TryParseDouble(field, out value);
    }

    /// <summary>Digits only: kernel counters are never signed, never grouped and never in another culture.</summary>
    public static bool TryParseUInt64(ReadOnlySpan<char> text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInt64(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}
