using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Always on (distribution's <c>base</c>): rejects invalid paths and offsets before the
/// driver sees them, and names the driver on every failure — an exception that is not
/// already a <see cref="StorageDriverException"/> is wrapped, the original kept as inner.
/// </summary>
public sealed class ValidatingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    /// <inheritdoc />
    public override Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default) =>
        RunAsync("GetContent", path, false, () => Inner.GetContentAsync(path, cancellationToken));

    /// <inheritdoc />
    public override Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        RunAsync("PutContent", path, false, async () =>
        {
            await Inner.PutContentAsync(path, content, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public override Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default)
    {
        if (offset < 0 && StoragePath.IsValid(path))
        {
            return Task.FromException<Stream>(DriverErrors.InvalidOffset(Name, path, offset));
        }

        return RunAsync("Reader", path, false, () => Inner.ReaderAsync(path, offset, cancellationToken));
    }

    /// <inheritdoc />
    public override Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default) =>
        RunAsync("Writer", path, false, () => Inner.WriterAsync(path, append, cancellationToken));

    /// <inheritdoc />
    public override Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) =>
        RunAsync("Stat", path, true, () => Inner.StatAsync(path, cancellationToken));

    /// <inheritdoc />
    public override IAsyncEnumerable<string> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return ListCheckedAsync("List", path, () => Inner.ListAsync(path, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, path, allowRoot: true);
        return ListCheckedAsync("ListUploads", path, () => Inner.ListUploadsAsync(path, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public override Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(Name, sourcePath);
        return RunAsync("Move", destinationPath, false, async () =>
        {
            await Inner.MoveAsync(sourcePath, destinationPath, cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <inheritdoc />
    public override Task DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        RunAsync("Delete", path, false, async () =>
        {
            await Inner.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public override Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) =>
        RunAsync("RedirectURL", path, false, () => Inner.RedirectUrlAsync(path, options, cancellationToken));

    /// <inheritdoc />
    public override Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);

        // Exceptions the visitor throws are the caller's own: they must come back unwrapped.
        Exception? visitorFailure = null;
        async ValueTask<WalkDecision> Guarded(StorageFileInfo entry, CancellationToken ct)
        {
            try
            {
                return await visitor(entry, ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                visitorFailure = ex;
                throw;
            }
        }

        return RunAsync("Walk", path, true, async () =>
        {
            try
            {
                await Inner.WalkAsync(path, Guarded, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (visitorFailure is not null && ReferenceEquals(ex, visitorFailure))
            {
                throw new VisitorFailure(ex);
            }

            return true;
        });
    }

    // A listing whose failures name the driver; the inner listing starts (and may fail) with the enumeration.
    private async IAsyncEnumerable<T> ListCheckedAsync<T>(string operation, string path, Func<IAsyncEnumerable<T>> list, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<T>? enumerator = null;
        try
        {
            while (true)
            {
                T current;
                try
                {
                    enumerator ??= list().GetAsyncEnumerator(cancellationToken);
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    current = enumerator.Current;
                }
                catch (Exception ex) when (ShouldWrap(ex))
                {
                    throw Wrap(operation, path, ex);
                }

                yield return current;
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

    private async Task<T> RunAsync<T>(string operation, string path, bool allowRoot, Func<Task<T>> call)
    {
        StoragePath.Validate(Name, path, allowRoot);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (VisitorFailure failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure.InnerException!).Throw();
            throw; // unreachable
        }
        catch (Exception ex) when (ShouldWrap(ex))
        {
            throw Wrap(operation, path, ex);
        }
    }

    private static bool ShouldWrap(Exception ex) =>
        ex is not StorageDriverException and not OperationCanceledException and not VisitorFailure;

    private StorageDriverException Wrap(string operation, string path, Exception ex) =>
        DriverErrors.Backend(Name, operation, path, ex, isTransient: ex is TimeoutException or IOException or HttpRequestException);

    private sealed class VisitorFailure(Exception inner) : Exception("walk visitor failed", inner);
}
