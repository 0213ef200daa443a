using System.Globalization;
using System.Text;
using Registry.Server.Api;
using Registry.Server.Layout;
using Registry.Server.Storage;
using Registry.Storage;

namespace Registry.Server.Uploads;

/// <summary>
/// Blob uploads whose whole state lives in the driver, in distribution's layout
/// (<c>_uploads/&lt;id&gt;/data</c> and <c>startedat</c>): each request resumes the upload's
/// writer with <c>WriterAsync(append: true)</c> and closes it again, so any replica on the
/// same storage can continue an upload another one started.
/// </summary>
/// <remarks>
/// Verification without holding anything in memory across requests:
/// <list type="bullet">
/// <item>the request that streams an upload from byte 0 hashes it natively as it goes — a
/// monolithic POST or a PUT with the whole body verifies directly; a first PATCH stores the
/// SHA-256 of what it received in <c>_uploads/&lt;id&gt;/regstore-digests/sha256/&lt;size&gt;</c>, so the
/// usual client pattern (POST, one streamed PATCH, empty PUT) completes without a read-back;</item>
/// <item>anything else (several chunks, sha512 after a PATCH) is hashed at completion by reading
/// the data back once from the driver: one extra sequential read, one chunk of memory
/// (measured in docs/serve.md).</item>
/// </list>
/// </remarks>
internal sealed class UploadService(IStorageDriver driver, RepositoryBlobs blobs, TimeProvider time)
{

    /// <summary>Starts an upload session and returns its id.</summary>
    public async Task<string> StartAsync(string name, CancellationToken cancellationToken)
    {
        var id = UploadId.New();
        var startedAt = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await driver.PutContentAsync(RegistryPaths.UploadStartedAt(name, id), Encoding.UTF8.GetBytes(startedAt), cancellationToken);
        var writer = await driver.WriterAsync(RegistryPaths.UploadData(name, id), append: false, cancellationToken);
        await writer.DisposeAsync();
        return id;
    }

    /// <summary>Whether the upload session exists.</summary>
    public async Task<bool> ExistsAsync(string name, string id, CancellationToken cancellationToken) =>
        await Links.SizeAsync(driver, RegistryPaths.UploadStartedAt(name, id), cancellationToken) is not null;

    /// <summary>The bytes received so far.</summary>
    public async Task<long> SizeAsync(string name, string id, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(name, id, cancellationToken);
        var writer = await OpenAsync(name, id, cancellationToken);
        await using (writer)
        {
            return writer.Size;
        }
    }

    /// <summary>
    /// Appends a chunk. <paramref name="rangeStart"/>, when given, must equal the bytes received so far.
    /// A chunk that starts the upload is hashed (SHA-256) as it streams, and its digest is kept
    /// next to the data, so completing after it needs no read-back.
    /// </summary>
    /// <returns>The bytes received after the chunk.</returns>
    public async Task<long> AppendAsync(string name, string id, Stream body, long? rangeStart, long? length, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(name, id, cancellationToken);
        var writer = await OpenAsync(name, id, cancellationToken);
        long size;
        Digest? streamed = null;
        await using (writer)
        {
            if (rangeStart is { } start && start != writer.Size)
            {
                throw OutOfOrder(writer.Size, $"chunk starts at {start} but {writer.Size} bytes were received");
            }

            using var hash = writer.Size == 0 ? Digest.CreateHash(Digest.Sha256) : null;
            var copied = await StreamCopy.CopyAsync(body, writer, hash, null, cancellationToken);
            if (length is { } expected && copied != expected)
            {
                throw new RegistryException(ErrorCode.SizeInvalid, $"received {copied} bytes, Content-Length said {expected}");
            }

            size = writer.Size;
            if (hash is not null)
            {
                streamed = Digest.FromHash(Digest.Sha256, hash);
            }
        }

        // Only after the writer closed: the digest describes bytes the driver has kept.
        if (streamed is { } digest && size > 0)
        {
            await Links.WriteAsync(driver, RegistryPaths.UploadDigest(name, id, digest.Algorithm, size), digest, cancellationToken);
        }

        return size;
    }

    /// <summary>
    /// Appends the last chunk (possibly empty), verifies the whole upload against
    /// <paramref name="expected"/>, moves it into the blob store and links it into the repository.
    /// On a mismatch the upload is removed and nothing becomes visible.
    /// </summary>
    /// <returns>The blob's size.</returns>
    public async Task<long> CompleteAsync(string name, string id, Digest expected, Stream body, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(name, id, cancellationToken);
        var dataPath = RegistryPaths.UploadData(name, id);
        long size;
        Digest? streamed = null;
        var writer = await OpenAsync(name, id, cancellationToken);
        await using (writer)
        {
            var received = writer.Size;
            using var hash = received == 0 ? expected.CreateHash() : null;
            var copied = await StreamCopy.CopyAsync(body, writer, hash, null, cancellationToken);
            await writer.CommitAsync(cancellationToken);
            size = writer.Size;
            if (hash is not null)
            {
                streamed = Digest.FromHash(expected.Algorithm, hash);
            }
            else if (copied == 0)
            {
                streamed = await Links.ReadAsync(driver, RegistryPaths.UploadDigest(name, id, expected.Algorithm, received), cancellationToken);
            }
        }

        var actual = streamed ?? await HashStoredAsync(dataPath, expected.Algorithm, cancellationToken);
        if (actual != expected)
        {
            await DeleteUploadAsync(name, id, cancellationToken);
            throw new RegistryException(ErrorCode.DigestInvalid, $"content is {actual}, not {expected}");
        }

        if (await blobs.StatGlobalAsync(expected, cancellationToken) is null)
        {
            await driver.MoveAsync(dataPath, RegistryPaths.BlobData(expected), cancellationToken);
        }

        await blobs.LinkAsync(name, expected, cancellationToken);
        await DeleteUploadAsync(name, id, cancellationToken);
        return size;
    }

    /// <summary>Cancels the upload: its data and directory are removed.</summary>
    public async Task CancelAsync(string name, string id, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(name, id, cancellationToken);
        try
        {
            var writer = await driver.WriterAsync(RegistryPaths.UploadData(name, id), append: true, cancellationToken);
            await using (writer)
            {
                await writer.CancelAsync(cancellationToken);
            }
        }
        catch (StorageDriverException)
        {
            // Nothing resumable (already committed or never written): deleting the directory is enough.
        }

        await DeleteUploadAsync(name, id, cancellationToken);
    }

    private async Task<Digest> HashStoredAsync(string path, string algorithm, CancellationToken cancellationToken)
    {
        using var hash = Digest.CreateHash(algorithm);
        var stream = await driver.ReaderAsync(path, 0, cancellationToken);
        await using (stream)
        {
            await StreamCopy.CopyAsync(stream, null, hash, null, cancellationToken);
        }

        return Digest.FromHash(algorithm, hash);
    }

    private async Task<FileWriter> OpenAsync(string name, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await driver.WriterAsync(RegistryPaths.UploadData(name, id), append: true, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            // A driver that keeps nothing for a writer closed before its first byte.
            return await driver.WriterAsync(RegistryPaths.UploadData(name, id), append: false, cancellationToken);
        }
        catch (StorageDriverException e)
        {
            throw new RegistryException(ErrorCode.BlobUploadInvalid, $"the upload cannot be resumed: {e.Message}");
        }
    }

    private async Task EnsureExistsAsync(string name, string id, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(name, id, cancellationToken))
        {
            throw new RegistryException(ErrorCode.BlobUploadUnknown, $"upload {id} is unknown in {name}");
        }
    }

    private async Task DeleteUploadAsync(string name, string id, CancellationToken cancellationToken) =>
        await Links.DeleteAsync(driver, RegistryPaths.Upload(name, id), cancellationToken);

    /// <summary>The spec's answer to an out-of-order chunk: 416 with the range received so far.</summary>
    public static RegistryException OutOfOrder(long size, string detail)
    {
        var error = new RegistryException(ErrorCode.BlobUploadInvalid, detail, 416);
        error.Headers["Range"] = RangeHeader(size);
        return error;
    }

    /// <summary>distribution's <c>Range</c> for an upload of <paramref name="size"/> bytes: <c>0-(size-1)</c>, <c>0-0</c> when empty.</summary>
    public static string RangeHeader(long size) => "0-" + Math.Max(size - 1, 0).ToString(CultureInfo.InvariantCulture);
}
