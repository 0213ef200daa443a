namespace Registry.Storage;

/// <summary>
/// A storage driver: the filesystem-like model of a registry's storage (distribution's
/// <c>StorageDriver</c>) over some backend. Paths follow <see cref="StoragePath"/>.
/// </summary>
/// <remarks>
/// An interface rather than an abstract class so decorators can wrap any driver; members
/// added after 1.0 come with default implementations, so older drivers keep loading.
/// Implementations must be safe for concurrent use.
/// <para>
/// Lifetime (contract 1.1): whoever asks the host for a driver disposes it with
/// <see cref="IAsyncDisposable.DisposeAsync"/>; decorators forward it to the driver they wrap.
/// A driver holding clients, connections or native handles releases them there; the default
/// does nothing, so drivers built against 1.0 keep loading.
/// </para>
/// </remarks>
public interface IStorageDriver : IAsyncDisposable
{
    /// <summary>Releases what the driver holds (clients, connections, native handles). The default does nothing.</summary>
    ValueTask IAsyncDisposable.DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The name the driver is registered under (for example <c>s3</c>).</summary>
    string Name { get; }

    /// <summary>What this driver can do beyond the required minimum.</summary>
    DriverCapabilities Capabilities { get; }

    /// <summary>Reads the whole content at <paramref name="path"/>; meant for small files.</summary>
    /// <exception cref="PathNotFoundException">Nothing is stored at the path.</exception>
    Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Replaces the content at <paramref name="path"/> atomically: a reader sees the old or the new content, never a mix.</summary>
    Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a read stream at <paramref name="offset"/>. An offset at or past the end gives an
    /// empty stream (distribution's drivers agree; a reader may ask before it knows the size).
    /// </summary>
    /// <exception cref="InvalidOffsetException">The offset is negative.</exception>
    /// <exception cref="PathNotFoundException">Nothing is stored at the path.</exception>
    Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a writer. With <paramref name="append"/> it resumes the uncommitted content a
    /// previous writer left when it was disposed without commit (or extends committed
    /// zero-length content); without, it starts anew. Content becomes visible only on
    /// <see cref="FileWriter.CommitAsync"/>.
    /// </summary>
    /// <exception cref="PathNotFoundException">With <paramref name="append"/>, neither committed content nor an upload is at the path (as distribution's s3, azure and gcs drivers).</exception>
    /// <exception cref="StorageDriverException">With <paramref name="append"/>, committed content that is not empty is at the path.</exception>
    Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default);

    /// <summary>
    /// Describes the file or directory at <paramref name="path"/> (<c>/</c> allowed). Directories
    /// are implied by their children and have size 0; their ModTime is
    /// <see cref="DateTimeOffset.MinValue"/> when the backend keeps none (object stores), else a
    /// real time, never in the future.
    /// </summary>
    Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// The direct children of the directory at <paramref name="path"/> as absolute paths, in no
    /// particular order. <c>/</c> always lists (possibly nothing); any other missing directory
    /// throws <see cref="PathNotFoundException"/> when enumeration starts.
    /// </summary>
    IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a file; the destination is replaced. A source that is missing or a directory throws
    /// <see cref="PathNotFoundException"/> and nothing moves (distribution's object-store drivers
    /// move single objects only).
    /// </summary>
    Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a file, or a directory recursively, and every upload at or below the path (so
    /// purging an upload's folder reclaims its space); never a sibling that merely shares the prefix.
    /// </summary>
    /// <exception cref="PathNotFoundException">No committed content was at or below the path; uploads there are removed all the same.</exception>
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// A URL a client can use to fetch the content directly (presigned, SAS, TempURL), or
    /// <see langword="null"/> when the driver cannot give one.
    /// </summary>
    Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Visits every file and directory below <paramref name="path"/> (<c>/</c> allowed) in walk
    /// order (<see cref="StoragePath.WalkKey"/>): each directory just before its contents,
    /// everything in lexical (ordinal) order. A missing start path throws <see cref="PathNotFoundException"/>.
    /// </summary>
    Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The uploads at or below <paramref name="path"/> (<c>/</c> allowed) that writers left
    /// uncommitted — closed without commit, or cut off by a crash — in no particular order;
    /// never a committed file, never an upload that was committed or cancelled, never one of a
    /// sibling that merely shares the prefix. Each is discarded with
    /// <c>WriterAsync(upload.Path, append: true)</c> then <see cref="FileWriter.CancelAsync"/>;
    /// <see cref="DeleteAsync"/> of a path removes those at or below it. Since contract 1.2; a
    /// driver that offers it declares <see cref="DriverCapabilities.ListUploads"/>.
    /// </summary>
    /// <remarks>The default (drivers built against 1.1) throws <see cref="UnsupportedMethodException"/> when enumeration starts.</remarks>
    IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default) =>
        Kit.UploadListing.Unsupported(Name, cancellationToken);
}
