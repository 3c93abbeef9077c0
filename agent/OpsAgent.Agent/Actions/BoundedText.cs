using System.Text;

namespace OpsAgent.Agent.Actions;

/// <summary>Cuts text to a number of UTF-8 bytes without splitting a character.</summary>
internal static class BoundedText
{
    public static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetMaxByteCount(text.Length) <= maxBytes || Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        // Walk whole characters (surrogate pairs stay together) until the next one would not fit.
        int bytes = 0;
        int end = 0;
        while (end < text.Length)
        {
            int width = char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
            int size = Encoding.UTF8.GetByteCount(text.AsSpan(end, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            end += width;
        }

        return text[..end];
    }

    /// <summary>Decodes at most <paramref name="maxBytes"/> of <paramref name="utf8"/>; a character cut at the end is dropped.</summary>
    public static string Decode(ReadOnlySpan<byte> utf8, int maxBytes)
    {
        ReadOnlySpan<byte> kept = utf8.Length <= maxBytes ? utf8 : utf8[..maxBytes];
        if (kept.Length > 0 && kept.Length < utf8.Length)
        {
            // Find where the last character starts (at most three continuation bytes, 10xxxxxx, back) and drop it if the
            // cut fell inside it.
            int start = kept.Length - 1;
            for (int back = 0; start > 0 && back < 3 && (kept[start] & 0xC0) == 0x80; back++)
            {
                start--;
            }

            if (kept[start] >= 0xC0)
            {
                int length = kept[start] >= 0xF0 ? 4 : kept[start] >= 0xE0 ? 3 : 2;
                if (kept.Length - start < length)
                {
                    kept = kept[..start];
                }
            }
        }

        return Encoding.UTF8.GetString(kept);
    }
}
