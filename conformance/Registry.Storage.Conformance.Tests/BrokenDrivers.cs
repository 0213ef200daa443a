using System.Runtime.CompilerServices;
using Registry.Storage.Kit;

namespace Registry.Storage.Conformance.Tests;

// Drivers with one deliberate contract violation each, for SuiteCatchesBrokenDriversTests.

/// <summary>Ignores the start-after hint.</summary>
internal sealed class HintIgnoringDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default) =>
        base.WalkAsync(path, visitor, null, cancellationToken);
}

/// <summary>Wraps the visitor's exception instead of letting it propagate.</summary>
internal sealed class VisitorErrorWrappingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task WalkAsync(string path, WalkVisitor visitor, WalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await base.WalkAsync(path, visitor, options, cancellationToken);
        }
        catch (InvalidOperationException error)
        {
            throw new StorageDriverException(Name, "walk failed", error);
        }
    }
}

/// <summary>Deletes by string prefix, as a naive object-store driver would: <c>/a/b</c> also removes <c>/a/bc</c>.</summary>
internal sealed class PrefixDeletingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        await base.DeleteAsync(path, cancellationToken);
        foreach (var sibling in await Inner.ListSortedAsync(StoragePath.Parent(path), cancellationToken))
        {
            if (sibling.StartsWith(path, StringComparison.Ordinal))
            {
                await base.DeleteAsync(sibling, cancellationToken);
            }
        }
    }
}

/// <summary>Reports missing paths under another driver's name.</summary>
internal sealed class MisnamingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetContentAsync(path, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            throw new PathNotFoundException("someotherdriver", path);
        }
    }
}

/// <summary>Lists a missing directory as empty instead of PathNotFound.</summary>
internal sealed class EmptyListingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async IAsyncEnumerable<string> ListAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<string> children;
        try
        {
            children = [.. await Inner.ListSortedAsync(path, cancellationToken)];
        }
        catch (PathNotFoundException)
        {
            yield break;
        }

        foreach (var child in children)
        {
            yield return child;
        }
    }
}

/// <summary>Never advances ModTime.</summary>
internal sealed class FrozenModTimeDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default) =>
        (await base.StatAsync(path, cancellationToken)) with { ModTime = DateTimeOffset.UnixEpoch };
}

/// <summary>Declares redirects but gives no URL.</summary>
internal sealed class FalseRedirectDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override DriverCapabilities Capabilities => base.Capabilities with { Redirect = true };
}

/// <summary>Publishes content before commit: PutContent-on-write, as a careless filesystem driver would.</summary>
internal sealed class EagerWriterDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        var writer = await base.WriterAsync(path, append, cancellationToken);
        await Inner.PutContentAsync(path, ReadOnlyMemory<byte>.Empty, cancellationToken);
        return writer;
    }
}

/// <summary>Refuses a read past the end (InvalidOffset) instead of giving an empty stream.</summary>
internal sealed class PastEndRefusingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task<Stream> ReaderAsync(string path, long offset, CancellationToken cancellationToken = default) =>
        offset > (await Inner.StatAsync(path, cancellationToken)).Size
            ? throw DriverErrors.InvalidOffset(Name, path, offset)
            : await base.ReaderAsync(path, offset, cancellationToken);
}

/// <summary>Starts a new upload when append finds nothing to resume, as a lenient driver would.</summary>
internal sealed class AppendAnywhereDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.WriterAsync(path, append, cancellationToken);
        }
        catch (PathNotFoundException) when (append)
        {
            return await base.WriterAsync(path, append: false, cancellationToken);
        }
    }
}

/// <summary>
/// Deletes object by object what a walk shows, as a naive object-store driver would: committed
/// files go, uploads (which no listing shows) stay resumable.
/// </summary>
internal sealed class UploadKeepingDeleteDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var info = await Inner.StatAsync(path, cancellationToken);
        var files = info.IsDirectory
            ? (await Inner.WalkToListAsync(path, cancellationToken: cancellationToken)).Where(e => !e.IsDirectory).Select(e => e.Path).ToList()
            : [path];
        foreach (var file in files)
        {
            await base.DeleteAsync(file, cancellationToken);
        }
    }
}

/// <summary>Moves a directory file by file instead of refusing it, as a "helpful" driver would.</summary>
internal sealed class DirectoryMovingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        if (await Inner.ExistsAsync(sourcePath, cancellationToken) && (await Inner.StatAsync(sourcePath, cancellationToken)).IsDirectory)
        {
            foreach (var file in (await Inner.WalkToListAsync(sourcePath, cancellationToken: cancellationToken)).Where(e => !e.IsDirectory))
            {
                await base.MoveAsync(file.Path, destinationPath + file.Path[sourcePath.Length..], cancellationToken);
            }

            return;
        }

        await base.MoveAsync(sourcePath, destinationPath, cancellationToken);
    }
}

/// <summary>Stamps directories with a time in the future (a clock confusion, say local time taken as UTC).</summary>
internal sealed class FutureDirectoryTimeDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task<StorageFileInfo> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        var info = await base.StatAsync(path, cancellationToken);
        return info.IsDirectory ? info with { ModTime = DateTimeOffset.UtcNow.AddHours(5) } : info;
    }
}

/// <summary>Declares that uploads survive the instance over a private store (issue 18 item 4: a new instance finds nothing).</summary>
internal sealed class OverclaimedResumeDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override DriverCapabilities Capabilities => base.Capabilities with { ResumableWrites = true };
}

/// <summary>Declares that uploads do not survive the instance while a new instance resumes them all the same.</summary>
internal sealed class UnderclaimedResumeDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override DriverCapabilities Capabilities => base.Capabilities with { ResumableWrites = false };
}

/// <summary>Declares that it lists uploads, but lists none (a listing that forgot the uploads area).</summary>
internal sealed class UploadHidingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }
}

/// <summary>Lists uploads by string prefix, as a naive object-store listing would: <c>/a/b</c> also shows the upload of <c>/a/bc</c>.</summary>
internal sealed class PrefixUploadListingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var upload in Inner.ListUploadsAsync(StoragePath.Root, cancellationToken))
        {
            if (upload.Path.StartsWith(path, StringComparison.Ordinal))
            {
                yield return upload;
            }
        }
    }
}

/// <summary>Keeps listing every upload it ever saw opened, committed or cancelled since (a stale upload record).</summary>
internal sealed class StaleUploadListingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _opened = new(StringComparer.Ordinal);

    public override async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        var writer = await base.WriterAsync(path, append, cancellationToken);
        _opened[path] = true;
        return writer;
    }

    public override async IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var upload in Inner.ListUploadsAsync(path, cancellationToken))
        {
            listed.Add(upload.Path);
            yield return upload;
        }

        foreach (var stale in _opened.Keys.Where(p => StoragePath.IsSameOrDescendant(p, path) && !listed.Contains(p)))
        {
            yield return new PendingUpload(stale, 0, DateTimeOffset.MinValue);
        }
    }
}

/// <summary>Lists uploads while declaring that it cannot (a capability left at its default).</summary>
internal sealed class UndeclaredUploadListingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override DriverCapabilities Capabilities => base.Capabilities with { ListUploads = false };
}

/// <summary>
/// Cancels a resumed writer by deleting the path as well, as the s3 driver once did to remove a
/// restart's partial content: discarding an interrupted overwrite loses the committed file.
/// </summary>
internal sealed class CommittedContentDiscardingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override async Task<FileWriter> WriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        var writer = await base.WriterAsync(path, append, cancellationToken);
        return append ? new PathDeletingOnCancel(Inner, writer) : writer;
    }

    private sealed class PathDeletingOnCancel(IStorageDriver driver, FileWriter inner) : FileWriter(inner.DriverName, inner.TargetPath)
    {
        public override long Size => inner.Size;

        protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) => inner.WriteAsync(buffer, cancellationToken);

        protected override Task CommitCoreAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

        protected override async Task CancelCoreAsync(CancellationToken cancellationToken)
        {
            await inner.CancelAsync(cancellationToken);
            try
            {
                await driver.DeleteAsync(TargetPath, cancellationToken);
            }
            catch (PathNotFoundException)
            {
                // nothing committed there
            }
        }

        protected override ValueTask CloseCoreAsync() => inner.DisposeAsync();
    }
}

/// <summary>Not broken: a driver as contract 1.1 built it, which cannot list its uploads and declares so.</summary>
internal sealed class NoUploadListingDriver(IStorageDriver inner) : DelegatingStorageDriver(inner)
{
    public override DriverCapabilities Capabilities => base.Capabilities with { ListUploads = false };

    public override IAsyncEnumerable<PendingUpload> ListUploadsAsync(string path, CancellationToken cancellationToken = default) =>
        UploadListing.Unsupported(Name, cancellationToken);
}
