using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// The shared shape of the cross-cutting decorators: every driver call funnels through one
/// <see cref="InvokeAsync{T}"/>, so a decorator (metrics, retry, timeout …) states its
/// concern once instead of eleven times. Streams are handed to <see cref="WrapReader"/> and
/// <see cref="WrapWriter"/>, which decorators that care about bytes override.
/// </summary>
/// <remarks>
/// A listing is intercepted up to its first entry: that is where a missing directory fails
/// and the first page is fetched; repeating or timing out later pages would hand the
/// caller duplicate or partial listings, so those run as the inner driver yields them.
/// </remarks>
public abstract class InterceptingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    /// <summary>Runs <paramref name="call"/> (the inner driver's operation) with the decorator's concern around it.</summary>
    protected abstract Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken);

    /// <summary>The stream handed to the caller of <c>ReaderAsync</c>; by default the inner one.</summary>
    protected virtual Stream WrapReader(StorageOperation operation, Stream stream) => stream;

    /// <summary>The writer handed to the caller of <c>WriterAsync</c>; by default the inner one.</summary>
    protected virtual FileWriter WrapWriter(StorageOperation operation, FileWriter writer) => writer;

    /// <inheritdoc />
    public override Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default) =>
        InvokeAsync(new StorageOperation("GetContent", path, true), ct => Inner.GetContentAsync(path, ct), cancellationToken);

    /// <inheritdoc />
    public override Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        InvokeAsync(new StorageOperation("PutContent", path, true), async ct =>
        {
            await Inner.PutContentAsync(path, content, ct).ConfigureAwait(false);
            return content.Length;
        }, cancellationToken);

    /// <inheritdoc />
    public override async Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        var operation = new StorageOperation("Reader", path, true);
        var stream = await InvokeAsync(operation, ct => Inner.ReaderAsync(path, offset, ct), cancellationToken).ConfigureAwait(false);
        return WrapReader(operation, stream);
    }

    /// <inheritdoc />
    public override async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        // Opening is repeatable (nothing is written yet); the writes themselves never are.
        var operation = new StorageOperation("Writer", path, true);
        var writer = await InvokeAsync(operation, ct => Inner.WriterAsync(path, append, ct), cancellationToken).ConfigureAwait(false);
        return WrapWriter(operation, writer);
    }

    /// <inheritdoc />
    public override Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) =>
        InvokeAsync(new StorageOperation("Stat", path, true), ct => Inner.StatAsync(path, ct), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default) =>
        InterceptListingAsync(new StorageOperation("List", path, true), Inner.ListAsync, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default) =>
        InterceptListingAsync(new StorageOperation("ListUploads", path, true), Inner.ListUploadsAsync, cancellationToken);

    /// <inheritdoc />
    public override Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default) =>
        // Not idempotent: a move whose reply was lost has already removed the source.
        InvokeAsync(new StorageOperation("Move", destinationPath, false), async ct =>
        {
            await Inner.MoveAsync(sourcePath, destinationPath, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public override Task DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        InvokeAsync(new StorageOperation("Delete", path, true), async ct =>
        {
            await Inner.DeleteAsync(path, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public override Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) =>
        InvokeAsync(new StorageOperation("RedirectURL", path, true), ct => Inner.RedirectUrlAsync(path, options, ct), cancellationToken);

    /// <inheritdoc />
    public override Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var operation = new StorageOperation("Walk", path, true);
        var wrapped = WrapVisitor(operation, visitor);
        return InvokeAsync(operation, async ct =>
        {
            await Inner.WalkAsync(path, async (entry, visitCt) =>
            {
                operation.IsIdempotent = false;
                return await wrapped(entry, visitCt).ConfigureAwait(false);
            }, options, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>The visitor the inner walk calls; by default the caller's. The concurrency limit releases its slot around it.</summary>
    protected virtual WalkVisitor WrapVisitor(StorageOperation operation, WalkVisitor visitor) => visitor;

    private async IAsyncEnumerable<T> InterceptListingAsync<T>(
        StorageOperation operation,
        Func<string, CancellationToken, IAsyncEnumerable<T>> list,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<T>? enumerator = null;
        try
        {
            // The first step (directory exists? first page) is the intercepted operation; a retry starts a fresh enumeration.
            var first = await InvokeAsync(operation, async ct =>
            {
                if (enumerator is not null)
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }

                enumerator = list(operation.Path, cancellationToken).GetAsyncEnumerator(cancellationToken);
                return await enumerator.MoveNextAsync().ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (!first)
            {
                yield break;
            }

            yield return enumerator!.Current;
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                yield return enumerator.Current;
            }
        }
        finally
        {
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
