using System.Security.Cryptography;

namespace Registry.Storage.Conformance;

/// <summary>Streaming helpers: copy while hashing, hash a stream, compare a stream with expected bytes — all in bounded memory.</summary>
public static class StreamChecks
{
    /// <summary>The buffer size the helpers read and write with.</summary>
    public const int BufferSize = 1 << 20;

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> and returns the bytes copied and their SHA-256.</summary>
    public static async Task<(long Length, byte[] Sha256)> CopyHashingAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }

        return (total, hash.GetHashAndReset());
    }

    /// <summary>Reads <paramref name="source"/> to its end and returns its length and SHA-256.</summary>
    public static Task<(long Length, byte[] Sha256)> HashAsync(Stream source, CancellationToken cancellationToken) =>
        CopyHashingAsync(source, Null, cancellationToken);

    /// <summary>Reads <paramref name="source"/> to its end into memory; for small test contents only.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var memory = new MemoryStream();
        await source.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end, comparing it with <paramref name="expected"/>
    /// as it goes; returns a description of the first difference, or <see langword="null"/> when equal.
    /// </summary>
    public static async Task<string?> FirstDifferenceAsync(Stream source, ReadOnlyMemory<byte> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = new byte[BufferSize];
        var position = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (position + read > expected.Length)
            {
                return $"the stream is longer than the expected {expected.Length} bytes";
            }

            var mismatch = buffer.AsSpan(0, read).CommonPrefixLength(expected.Span.Slice(position, read));
            if (mismatch < read)
            {
                return $"the stream differs at byte {position + mismatch}";
            }

            position += read;
        }

        return position == expected.Length ? null : $"the stream ended after {position} of {expected.Length} bytes";
    }

    private static Stream Null => Stream.Null;
}
