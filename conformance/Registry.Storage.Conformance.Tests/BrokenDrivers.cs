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
