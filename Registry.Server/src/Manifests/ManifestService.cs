using Registry.Server.Api;
using Registry.Server.Layout;
using Registry.Server.Storage;
using Registry.Storage;

namespace Registry.Server.Manifests;

/// <summary>A manifest as stored: its bytes, digest and media type.</summary>
internal sealed record StoredManifest(Digest Digest, byte[] Content, ParsedManifest Parsed);

/// <summary>
/// Manifests in distribution's layout: the bytes are a blob (<c>blobs/…/data</c>), linked into the
/// repository under <c>_manifests/revisions</c>; a tag is <c>_manifests/tags/&lt;tag&gt;/current/link</c>
/// plus an <c>index</c> entry. A manifest becomes visible only after every blob or manifest it
/// references was found in the repository.
/// </summary>
internal sealed class ManifestService(IStorageDriver driver, RepositoryBlobs blobs)
{
    /// <summary>Stores a manifest pushed to <paramref name="tag"/> or <paramref name="expected"/> (a digest reference).</summary>
    public async Task<StoredManifest> PutAsync(string name, string? tag, Digest? expected, byte[] content, string? contentType, CancellationToken cancellationToken)
    {
        var parsed = ParsedManifest.Parse(content, contentType);
        var digest = Digest.Compute(content, expected?.Algorithm ?? Digest.Sha256);
        if (expected is { } e && e != digest)
        {
            throw new RegistryException(ErrorCode.DigestInvalid, $"manifest content is {digest}, not {e}");
        }

        await VerifyReferencesAsync(name, parsed, cancellationToken);

        if (await blobs.StatGlobalAsync(digest, cancellationToken) is null)
        {
            await driver.PutContentAsync(RegistryPaths.BlobData(digest), content, cancellationToken);
        }

        await Links.WriteAsync(driver, RegistryPaths.ManifestRevisionLink(name, digest), digest, cancellationToken);
        if (parsed.Subject is { } subject)
        {
            await Links.WriteAsync(driver, RegistryPaths.ReferrerLink(name, subject.Digest, digest), digest, cancellationToken);
        }

        if (tag is not null)
        {
            // As distribution's tagStore.Tag: the index entry first, then the current link.
            await Links.WriteAsync(driver, RegistryPaths.TagIndexEntryLink(name, tag, digest), digest, cancellationToken);
            await Links.WriteAsync(driver, RegistryPaths.TagCurrentLink(name, tag), digest, cancellationToken);
        }

        return new StoredManifest(digest, content, parsed);
    }

    /// <summary>The digest a tag points at, or null.</summary>
    public Task<Digest?> ResolveTagAsync(string name, string tag, CancellationToken cancellationToken) =>
        Links.ReadAsync(driver, RegistryPaths.TagCurrentLink(name, tag), cancellationToken);

    /// <summary>The manifest <paramref name="digest"/> in repository <paramref name="name"/>, or null.</summary>
    public async Task<StoredManifest?> GetAsync(string name, Digest digest, CancellationToken cancellationToken)
    {
        if (await Links.ReadAsync(driver, RegistryPaths.ManifestRevisionLink(name, digest), cancellationToken) != digest)
        {
            return null;
        }

        byte[] content;
        try
        {
            content = await driver.GetContentAsync(RegistryPaths.BlobData(digest), cancellationToken);
        }
        catch (PathNotFoundException)
        {
            return null;
        }

        return new StoredManifest(digest, content, ParsedManifest.ParseStored(content));
    }

    /// <summary>Deletes a manifest revision, every tag pointing at it and its referrer entry, as distribution does.</summary>
    public async Task<bool> DeleteAsync(string name, Digest digest, CancellationToken cancellationToken)
    {
        var manifest = await GetAsync(name, digest, cancellationToken);
        if (manifest is null)
        {
            return false;
        }

        await Links.DeleteAsync(driver, RegistryPaths.ManifestRevisionLink(name, digest), cancellationToken);
        foreach (var tag in await Links.ListNamesAsync(driver, RegistryPaths.Tags(name), cancellationToken) ?? [])
        {
            if (await ResolveTagAsync(name, tag, cancellationToken) == digest)
            {
                await Links.DeleteAsync(driver, RegistryPaths.Tag(name, tag), cancellationToken);
            }
        }

        if (manifest.Parsed.Subject is { } subject)
        {
            await Links.DeleteAsync(driver, RegistryPaths.ReferrerLink(name, subject.Digest, digest), cancellationToken);
        }

        return true;
    }

    /// <summary>Deletes a tag (its manifest stays); false when the tag does not exist.</summary>
    public async Task<bool> DeleteTagAsync(string name, string tag, CancellationToken cancellationToken)
    {
        if (await ResolveTagAsync(name, tag, cancellationToken) is null)
        {
            return false;
        }

        return await Links.DeleteAsync(driver, RegistryPaths.Tag(name, tag), cancellationToken);
    }

    private async Task VerifyReferencesAsync(string name, ParsedManifest parsed, CancellationToken cancellationToken)
    {
        var blobsToCheck = parsed.Config is null ? parsed.Layers : parsed.Layers.Prepend(parsed.Config);
        foreach (var blob in blobsToCheck)
        {
            if (blob.HasUrls && IsNonDistributable(blob.MediaType))
            {
                continue; // foreign layers live elsewhere, as distribution allows
            }

            if (await blobs.StatAsync(name, blob.Digest, cancellationToken) is not { } size)
            {
                throw new RegistryException(ErrorCode.ManifestBlobUnknown, $"blob {blob.Digest} is not in {name}");
            }

            if (size != blob.Size)
            {
                throw new RegistryException(ErrorCode.ManifestInvalid, $"blob {blob.Digest} has {size} bytes, the manifest says {blob.Size}");
            }
        }

        foreach (var child in parsed.Manifests)
        {
            if (await Links.ReadAsync(driver, RegistryPaths.ManifestRevisionLink(name, child.Digest), cancellationToken) != child.Digest)
            {
                throw new RegistryException(ErrorCode.ManifestBlobUnknown, $"manifest {child.Digest} is not in {name}");
            }
        }
    }

    private static bool IsNonDistributable(string? mediaType) =>
        mediaType is not null && (mediaType.Contains("nondistributable", StringComparison.Ordinal) || mediaType.Contains(".foreign.", StringComparison.Ordinal));
}
