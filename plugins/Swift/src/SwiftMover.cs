namespace Registry.Storage.Drivers.Swift;

/// <summary>
/// Moves without streaming data through the client: a plain object by server-side copy, an
/// SLO by a new manifest listing the same segments, a DLO by a new manifest with the same
/// segment prefix; then the source manifest or object goes (its segments stay, now the
/// destination's). A large object the move replaces loses its segments.
/// </summary>
internal sealed class SwiftMover(SwiftClient client, SwiftLayout layout, SwiftDriverContext context)
{
    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var sourceKey = layout.ObjectKey(sourcePath);
        var destinationKey = layout.ObjectKey(destinationPath);
        var source = await client.HeadAsync(sourceKey, cancellationToken).ConfigureAwait(false)
            ?? throw DriverErrors.PathNotFound(SwiftErrors.DriverName, sourcePath);
        if (sourcePath == destinationPath)
        {
            return; // copying onto itself and deleting the source would lose the file
        }

        var replaced = await client.SegmentsAtAsync(destinationKey, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<SegmentRef> moved = [];
        if (source.IsStaticLargeObject)
        {
            moved = await client.GetStaticSegmentsAsync(sourceKey, cancellationToken).ConfigureAwait(false)
                ?? throw DriverErrors.PathNotFound(SwiftErrors.DriverName, sourcePath);
            await client.PutStaticManifestAsync(destinationKey, moved, cancellationToken).ConfigureAwait(false);
        }
        else if (source.DynamicManifest is { } manifest)
        {
            moved = await client.ListDynamicSegmentsAsync(manifest, cancellationToken).ConfigureAwait(false);
            await client.PutDynamicManifestAsync(destinationKey, manifest, cancellationToken).ConfigureAwait(false);
        }
        else if (!await client.CopyAsync(sourceKey, destinationKey, cancellationToken).ConfigureAwait(false))
        {
            throw DriverErrors.PathNotFound(SwiftErrors.DriverName, sourcePath);
        }

        await client.DeleteAsync(sourceKey, cancellationToken).ConfigureAwait(false);
        await client.DeleteOrphanedSegmentsAsync(replaced, moved, context.BulkDeleteMax, destinationPath, cancellationToken).ConfigureAwait(false);
    }
}
