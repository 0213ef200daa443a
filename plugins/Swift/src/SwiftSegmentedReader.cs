using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Reads a static large object segment by segment straight from the segments, with the GET of
/// the next segment already issued while the current one streams. The proxy's own SLO read
/// fetches segments one after the other, so each segment boundary costs a full request
/// latency; here that latency overlaps the previous segment's transfer. Memory stays at the
/// read buffer: the next response is opened, not read ahead into memory (only the kernel's
/// socket buffer fills).
/// </summary>
internal sealed class SwiftSegmentedReader : ForwardOnlyReadStream
{
    private readonly SwiftClient _client;
    private readonly IReadOnlyList<SegmentRef> _segments;
    private readonly string _path;
    private int _index;
    private long _offsetInSegment;
    private Stream? _current;
    private Task<Stream>? _next;

    private SwiftSegmentedReader(SwiftClient client, IReadOnlyList<SegmentRef> segments, string path, int index, long offsetInSegment)
    {
        _client = client;
        _segments = segments;
        _path = path;
        _index = index;
        _offsetInSegment = offsetInSegment;
    }

    /// <summary>A reader from <paramref name="offset"/> of the object made of <paramref name="segments"/>.</summary>
    public static SwiftSegmentedReader Create(SwiftClient client, IReadOnlyList<SegmentRef> segments, string path, long offset)
    {
        var index = 0;
        while (index < segments.Count && offset >= segments[index].Size)
        {
            offset -= segments[index].Size;
            index++;
        }

        return new SwiftSegmentedReader(client, segments, path, index, offset);
    }

    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_current is null)
            {
                if (_index >= _segments.Count)
                {
                    return 0;
                }

                _current = await (_next ?? OpenAsync(_index, _offsetInSegment, cancellationToken)).ConfigureAwait(false);
                _offsetInSegment = 0;
                _next = _index + 1 < _segments.Count ? OpenAsync(_index + 1, 0, cancellationToken) : null;
            }

            var read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0 || buffer.Length == 0)
            {
                return read;
            }

            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
            _index++;
        }
    }

    // A segment that vanished under a committed manifest is corruption, not a missing path.
    private async Task<Stream> OpenAsync(int index, long offset, CancellationToken cancellationToken)
    {
        var segment = _segments[index];
        return await _client.OpenReadAsync(segment.Key, offset, cancellationToken, segment.Container).ConfigureAwait(false)
            ?? throw new StorageDriverException(SwiftErrors.DriverName, $"segment {segment.Key} of {_path} is missing") { Path = _path };
    }

    protected override void Release() => ReleaseAsync().AsTask().GetAwaiter().GetResult();

    protected override async ValueTask ReleaseAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
        }

        if (_next is { } next)
        {
            _next = null;
            try
            {
                await (await next.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StorageDriverException or OperationCanceledException)
            {
                // the reader is being closed: a failed read-ahead no longer matters
            }
        }
    }
}
