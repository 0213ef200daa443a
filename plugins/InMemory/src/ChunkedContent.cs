namespace Registry.Storage.Drivers.InMemory;

/// <summary>
/// Bytes kept as a list of 1 MiB chunks rather than one array: a blob of any size fits
/// (no 2 GiB array limit, no huge contiguous allocation) and appending never copies what
/// is already stored. Appends happen only while the content is an upload; once committed
/// it is frozen, so readers need no lock.
/// </summary>
internal sealed class ChunkedContent
{
    /// <summary>The size of every chunk but the last.</summary>
    internal const int ChunkSize = 1 << 20;

    private readonly List<byte[]> _chunks = [];
    private readonly Lock _gate = new();
    private long _length;
    private bool _frozen;
    private DateTimeOffset _modTime;

    /// <summary>Bytes stored.</summary>
    public long Length => Volatile.Read(ref _length);

    /// <summary>When an upload last changed (set by its store and writer); unused once committed.</summary>
    public DateTimeOffset ModTime
    {
        get
        {
            lock (_gate)
            {
                return _modTime;
            }
        }

        set
        {
            lock (_gate)
            {
                _modTime = value;
            }
        }
    }

    /// <summary>Content holding a copy of <paramref name="data"/>, already frozen.</summary>
    public static ChunkedContent FrozenCopyOf(ReadOnlySpan<byte> data)
    {
        var content = new ChunkedContent();
        content.Append(data);
        content.Freeze();
        return content;
    }

    /// <summary>Appends a copy of <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException">The content was committed (frozen) meanwhile.</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (_frozen)
            {
                throw new InvalidOperationException("the upload was committed or replaced by another writer");
            }

            while (!data.IsEmpty)
            {
                var offsetInChunk = (int)(_length % ChunkSize);
                if (offsetInChunk == 0)
                {
                    // Allocated only when needed: an empty or small blob costs no 1 MiB chunk.
                    _chunks.Add(new byte[Math.Min(ChunkSize, Math.Max(data.Length, 4096))]);
                }

                var take = Math.Min(data.Length, ChunkSize - offsetInChunk);
                var chunk = EnsureCapacity(_chunks.Count - 1, offsetInChunk + take);
                data[..take].CopyTo(chunk.AsSpan(offsetInChunk));
                data = data[take..];
                Volatile.Write(ref _length, _length + take);
            }
        }
    }

    /// <summary>Makes the content immutable; returns <see langword="false"/> when it already was.</summary>
    public bool Freeze()
    {
        lock (_gate)
        {
            var wasFrozen = _frozen;
            _frozen = true;
            return !wasFrozen;
        }
    }

    /// <summary>Copies bytes from <paramref name="position"/> into <paramref name="destination"/>; returns how many (0 at the end).</summary>
    public int Read(long position, Span<byte> destination)
    {
        var length = Length;
        var copied = 0;
        while (copied < destination.Length && position < length)
        {
            var chunk = _chunks[(int)(position / ChunkSize)];
            var offsetInChunk = (int)(position % ChunkSize);
            var take = (int)Math.Min(Math.Min(destination.Length - copied, ChunkSize - offsetInChunk), length - position);
            chunk.AsSpan(offsetInChunk, take).CopyTo(destination[copied..]);
            copied += take;
            position += take;
        }

        return copied;
    }

    /// <summary>The whole content as one array (GetContent: small files only).</summary>
    public byte[] ToArray()
    {
        var length = Length;
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException($"the content is {length} bytes, too large for one array; use a reader");
        }

        var result = new byte[length];
        Read(0, result);
        return result;
    }

    // Small writes start with a small chunk that grows up to ChunkSize, so many tiny files
    // (manifests, links) do not each pin 1 MiB.
    private byte[] EnsureCapacity(int index, int needed)
    {
        var chunk = _chunks[index];
        if (chunk.Length >= needed)
        {
            return chunk;
        }

        var grown = new byte[Math.Min(ChunkSize, Math.Max(needed, chunk.Length * 2))];
        chunk.CopyTo(grown, 0);
        _chunks[index] = grown;
        return grown;
    }
}
