namespace Registry.Storage.Kit;

/// <summary>
/// Base for the body of an object-store GET that picks itself up when the connection breaks: a
/// body that throws <see cref="IOException"/> or <see cref="HttpRequestException"/> mid-stream, or
/// ends before its length, is reopened from the byte reached (at most <see cref="MaxResumes"/>
/// times) with a request the driver pins to the version the read began with (an ETag and
/// If-Match), so a replaced object fails the read instead of splicing two versions.
/// </summary>
/// <remarks>
/// A driver gives the first body, the offset and the length, and implements
/// <see cref="ReopenAsync"/>: release the broken response, send the ranged, pinned request, and
/// return its body — or throw (<see cref="Replaced"/> when the version changed). The driver still
/// releases the current response in <see cref="ForwardOnlyReadStream.Release"/>; <see cref="Body"/>
/// is always the body being read. A reader whose length is unknown never resumes: without it a
/// short body cannot be told from a complete one.
/// </remarks>
public abstract class ResumableReadStream : ForwardOnlyReadStream
{
    /// <summary>Resumes per reader: a connection that keeps breaking is a fault to report, not to hide.</summary>
    public const int MaxResumes = 3;

    private readonly long _start;
    private readonly long? _end;
    private long _next;
    private int _resumes;

    /// <summary>Starts reading <paramref name="body"/>, which holds <paramref name="length"/> bytes (when known) from <paramref name="offset"/>.</summary>
    protected ResumableReadStream(Stream body, long offset, long? length)
        : base(offset)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Body = body;
        _start = offset;
        _next = offset;
        _end = length is { } known ? offset + known : null;
    }

    /// <summary>The body being read: the first one, or the last <see cref="ReopenAsync"/> returned.</summary>
    protected Stream Body { get; private set; }

    /// <summary>Whether this reader may resume at all (for example: the first response carried an ETag to pin to).</summary>
    protected virtual bool CanResume => true;

    /// <summary>The content's length, when the first response gave it.</summary>
    public override long Length => _end is { } end ? end - _start : base.Length;

    /// <summary>
    /// Releases the broken response and opens the object again from <paramref name="next"/> up to
    /// <paramref name="end"/> (exclusive), pinned to the version the read began with; returns the new body.
    /// </summary>
    /// <param name="next">The first byte not yet read.</param>
    /// <param name="end">The end of the content (exclusive).</param>
    /// <param name="broken">Why the previous body failed, for the error when resuming is impossible.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    protected abstract ValueTask<Stream> ReopenAsync(long next, long end, Exception broken, CancellationToken cancellationToken);

    /// <summary>The error for an object replaced (or shrunk) while it was being read, naming driver, path and position.</summary>
    protected static StorageDriverException Replaced(string driverName, string path, long next, long end, Exception broken, Exception? refusal = null) =>
        new(driverName, $"read {path}: the object was replaced while it was being read (at byte {next} of {end}); read it again",
            refusal is null ? broken : new AggregateException(broken, refusal))
        {
            Path = path,
        };

    /// <inheritdoc />
    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var read = await Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0 && buffer.Length > 0 && _end is { } end && _next < end)
                {
                    // The body ended before its Content-Length: as broken as a reset.
                    throw new IOException($"the response ended at byte {_next} of {end}");
                }

                _next += read;
                return read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && _end is { } end && CanResume && _resumes < MaxResumes && !cancellationToken.IsCancellationRequested)
            {
                if (_next >= end)
                {
                    return 0; // every byte arrived; only the connection's end broke
                }

                _resumes++;
                Body = await ReopenAsync(_next, end, ex, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
