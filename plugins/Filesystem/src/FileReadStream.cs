using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Filesystem;

/// <summary>
/// The reader handed to callers: a read-only, seekable view of a <see cref="FileStream"/> whose
/// async reads run the read inline. On Unix FileStream.ReadAsync is the same blocking read run on
/// another thread-pool thread; skipping that hop per read is worth 20-30 % of the throughput on
/// a loaded machine (docs/benchmarks/filesystem.md). Read errors name the driver and path.
/// </summary>
internal sealed class FileReadStream(FileStream file, string driverName, string path) : SynchronousReadStream
{
    public override bool CanSeek => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = value;
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return file.Read(buffer);
        }
        catch (Exception e) when (FilesystemErrors.IsMappable(e))
        {
            throw FilesystemErrors.Map(driverName, "read", path, e);
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
