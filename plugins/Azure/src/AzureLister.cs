using System.Runtime.CompilerServices;
using Azure.Storage.Blobs.Models;
using Registry.Storage.Kit;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Directories over the flat blob namespace: a directory exists while some blob name starts
/// with its prefix. List uses the service's delimiter listing, Walk its flat listing (name
/// order, which is walk order for files) through <see cref="FlatWalk"/>.
/// </summary>
internal static class AzureLister
{
    /// <summary>Whether any blob lies below the directory <paramref name="path"/>.</summary>
    public static async Task<bool> DirectoryExistsAsync(AzureContext context, string path, CancellationToken cancellationToken)
    {
        try
        {
            var prefix = context.Keys.DirectoryPrefix(path);
            await foreach (var page in context.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken)
                               .AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                return page.Values.Count > 0;
            }

            return false;
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw context.Error("stat", path, ex);
        }
    }

    /// <summary>The direct children of <paramref name="path"/>; a missing directory other than the root throws.</summary>
    public static async IAsyncEnumerable<string> ListAsync(AzureContext context, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new GetBlobsByHierarchyOptions { Delimiter = "/", Prefix = context.Keys.DirectoryPrefix(path) };
        var pages = context.Container.GetBlobsByHierarchyAsync(options, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using var _ = pages.ConfigureAwait(false);
        var any = false;
        while (true)
        {
            try
            {
                if (!await pages.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (Exception ex) when (AzureErrors.ShouldMap(ex))
            {
                throw context.Error("list", path, ex);
            }

            foreach (var item in pages.Current.Values)
            {
                if (context.Keys.PathOf(item.IsPrefix ? item.Prefix : item.Blob.Name) is { } child)
                {
                    any = true;
                    yield return child;
                }
            }
        }

        if (!any && path != StoragePath.Root)
        {
            throw DriverErrors.PathNotFound(context.DriverName, path);
        }
    }

    /// <summary>Walks everything below <paramref name="path"/> from one flat listing.</summary>
    public static async Task WalkAsync(AzureContext context, string path, WalkVisitor visitor, WalkOptions? options, CancellationToken cancellationToken)
    {
        var walk = new FlatWalk(path, visitor, options);
        var any = false;
        var listing = new GetBlobsOptions { Prefix = context.Keys.DirectoryPrefix(path) };
        var pages = context.Container.GetBlobsAsync(listing, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using var _ = pages.ConfigureAwait(false);
        while (true)
        {
            try
            {
                if (!await pages.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (Exception ex) when (AzureErrors.ShouldMap(ex))
            {
                throw context.Error("walk", path, ex);
            }

            foreach (var blob in pages.Current.Values)
            {
                if (context.Keys.PathOf(blob.Name) is not { } file)
                {
                    continue;
                }

                any = true;
                var info = StorageFileInfo.File(file, blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? default);
                if (!await walk.AddFileAsync(info, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }

        if (!any && path != StoragePath.Root)
        {
            throw DriverErrors.PathNotFound(context.DriverName, path);
        }
    }

    /// <summary>
    /// Every blob name below the directory <paramref name="path"/> (prefix + "/", so never a
    /// sibling such as <c>/a/bc</c> of <c>/a/b</c>); with <paramref name="includeUploads"/> also
    /// names that hold only staged, uncommitted blocks.
    /// </summary>
    public static async IAsyncEnumerable<string> BlobNamesBelowAsync(AzureContext context, string path, bool includeUploads, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listing = new GetBlobsOptions
        {
            Prefix = context.Keys.DirectoryPrefix(path),
            States = includeUploads ? BlobStates.Uncommitted : BlobStates.None,
        };
        await foreach (var blob in context.Container.GetBlobsAsync(listing, cancellationToken).ConfigureAwait(false))
        {
            yield return blob.Name;
        }
    }
}
