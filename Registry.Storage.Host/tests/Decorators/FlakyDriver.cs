using Registry.Storage.Kit;

namespace Registry.Storage.Host.Tests.Decorators;

/// <summary>
/// A real driver with scripted failures the fault injector cannot produce: writes that fail
/// mid-stream, and walks that fail after the visitor has seen entries. Counts what reached it.
/// </summary>
internal sealed class FlakyDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    private int _writes;
    private int _walks;

    public int Writes => _writes;

    public int Walks => _walks;

    public bool FailWrites { get; init; }

    public bool FailWalkAfterFirstEntry { get; init; }

    public override async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default) =>
        new Writer(this, await Inner.WriterAsync(path, append, cancellationToken));

    public override async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _walks);
        var seen = 0;
        await Inner.WalkAsync(path, async (entry, ct) =>
        {
            if (FailWalkAfterFirstEntry && seen++ == 1)
            {
                throw Transient(path);
            }

            return await visitor(entry, ct);
        }, options, cancellationToken);
    }

    private StorageDriverException Transient(string path) => new(Name, $"connection reset on {path}") { Path = path, IsTransient = true };

    private sealed class Writer(FlakyDriver owner, FileWriter inner) : FileWriter(inner.DriverName, inner.TargetPath)
    {
        public override long Size => inner.Size;

        protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._writes);
            if (owner.FailWrites)
            {
                throw owner.Transient(TargetPath);
            }

            await inner.WriteAsync(buffer, cancellationToken);
        }

        protected override Task CommitCoreAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

        protected override Task CancelCoreAsync(CancellationToken cancellationToken) => inner.CancelAsync(cancellationToken);

        protected override ValueTask CloseCoreAsync() => inner.DisposeAsync();
    }
}
