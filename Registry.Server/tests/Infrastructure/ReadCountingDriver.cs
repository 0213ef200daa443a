using Registry.Storage.Kit;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>Counts the bytes read back from upload data (<c>_uploads/…/data</c>) through the driver.</summary>
internal sealed class ReadCountingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    private long _uploadBytesRead;

    public long UploadBytesRead => Interlocked.Read(ref _uploadBytesRead);

    public override async Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        var stream = await base.ReaderAsync(path, offset, cancellationToken);
        return path.Contains("/_uploads/", StringComparison.Ordinal) ? new Counting(stream, this) : stream;
    }

    private sealed class Counting(Stream inner, ReadCountingDriver owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Interlocked.Add(ref owner._uploadBytesRead, read);
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Interlocked.Add(ref owner._uploadBytesRead, read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
