using System.Buffers.Binary;
using Registry.Storage.Kit;

namespace Registry.Storage.Conformance;

/// <summary>
/// A read-only stream of <see cref="Length"/> pseudo-random bytes derived from a seed: the
/// same seed always gives the same bytes, whatever the read sizes, so multi-gigabyte test
/// data never has to exist in memory or on disk (distribution's <c>randReader</c>).
/// </summary>
/// <remarks>
/// Byte <c>i</c> is byte <c>i % 8</c> (little-endian) of SplitMix64 applied to
/// <c>seed + i / 8</c>: counter-based, so it is seekable and costs a few nanoseconds per
/// 8 bytes. Not for cryptography.
/// </remarks>
public sealed class SeededRandomStream : SynchronousReadStream
{
    private readonly ulong _seed;
    private long _position;

    /// <summary>Creates a stream of <paramref name="length"/> bytes from <paramref name="seed"/>.</summary>
    public SeededRandomStream(long length, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _seed = seed;
    }

    /// <inheritdoc />
    public override long Length { get; }

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    /// <inheritdoc />
    public override bool CanSeek => true;

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/> of the stream for <paramref name="seed"/>.</summary>
    public static void Fill(ulong seed, long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Span<byte> block = stackalloc byte[8];
        var written = 0;
        var counter = offset / 8;
        var skip = (int)(offset % 8);
        if (skip != 0)
        {
            // the head: the tail of a partly consumed block
            BinaryPrimitives.WriteUInt64LittleEndian(block, SplitMix64(seed + (ulong)counter++));
            var take = Math.Min(8 - skip, destination.Length);
            block.Slice(skip, take).CopyTo(destination);
            written = take;
        }

        while (destination.Length - written >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[written..], SplitMix64(seed + (ulong)counter++));
            written += 8;
        }

        if (written < destination.Length)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(block, SplitMix64(seed + (ulong)counter));
            block[..(destination.Length - written)].CopyTo(destination[written..]);
        }
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, Math.Max(0, Length - _position));
        if (count == 0)
        {
            return 0;
        }

        Fill(_seed, _position, buffer[..count]);
        _position += count;
        return count;
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
