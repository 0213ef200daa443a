using System.Globalization;

namespace Registry.Server.Api;

/// <summary>A single satisfiable byte range of a blob (<c>Range: bytes=a-b</c>, <c>a-</c>, <c>-n</c>).</summary>
internal readonly record struct ByteRange(long Start, long Length)
{
    /// <summary>
    /// Parses a <c>Range</c> header for a blob of <paramref name="size"/> bytes. Returns false with a
    /// null range for an unsatisfiable range; true with null for no header or one to ignore (not bytes, several ranges).
    /// </summary>
    public static bool TryParse(string? header, long size, out ByteRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var spec = header["bytes=".Length..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return true; // multipart ranges: answer the whole blob, as RFC 9110 allows
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0 || size == 0)
            {
                return false;
            }

            var length = Math.Min(suffix, size);
            range = new ByteRange(size - length, length);
            return true;
        }

        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start >= size)
        {
            return false;
        }

        var end = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return false;
            }

            end = Math.Min(end, size - 1);
        }

        range = new ByteRange(start, end - start + 1);
        return true;
    }

    /// <summary>The <c>Content-Range</c> value for a blob of <paramref name="size"/> bytes.</summary>
    public string ContentRange(long size) => string.Create(CultureInfo.InvariantCulture, $"bytes {Start}-{Start + Length - 1}/{size}");
}
