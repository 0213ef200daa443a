using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Storage;

/// <summary>
/// Blobs as a repository sees them: a blob is visible in a repository when its <c>_layers</c>
/// link names it and the blob's data exists in the shared blob store (distribution's linked blob store).
/// </summary>
internal sealed class RepositoryBlobs(IStorageDriver driver)
{
    /// <summary>The size of <paramref name="digest"/> as visible in repository <paramref name="name"/>, or null.</summary>
    public async Task<long?> StatAsync(string name, Digest digest, CancellationToken cancellationToken)
    {
        var linked = await Links.ReadAsync(driver, RegistryPaths.LayerLink(name, digest), cancellationToken);
        if (linked != digest)
        {
            return null;
        }

        return await StatGlobalAsync(digest, cancellationToken);
    }

    /// <summary>The size of the blob in the shared store, whichever repository holds it, or null.</summary>
    public Task<long?> StatGlobalAsync(Digest digest, CancellationToken cancellationToken) =>
        Links.SizeAsync(driver, RegistryPaths.BlobData(digest), cancellationToken);

    /// <summary>Links an existing blob into a repository.</summary>
    public Task LinkAsync(string name, Digest digest, CancellationToken cancellationToken) =>
        Links.WriteAsync(driver, RegistryPaths.LayerLink(name, digest), digest, cancellationToken);

    /// <summary>Removes the repository's link file (the data stays for garbage collection, as in distribution); false when it was not linked.</summary>
    public async Task<bool> UnlinkAsync(string name, Digest digest, CancellationToken cancellationToken) =>
        await Links.ReadAsync(driver, RegistryPaths.LayerLink(name, digest), cancellationToken) == digest
        && await Links.DeleteAsync(driver, RegistryPaths.LayerLink(name, digest), cancellationToken);

    /// <summary>Opens the blob's data at <paramref name="offset"/>.</summary>
    public Task<Stream> OpenAsync(Digest digest, long offset, CancellationToken cancellationToken) =>
        driver.ReaderAsync(RegistryPaths.BlobData(digest), offset, cancellationToken);

    /// <summary>A URL the client may fetch the blob from directly, or null.</summary>
    public Task<Uri?> RedirectUrlAsync(Digest digest, CancellationToken cancellationToken) =>
        driver.RedirectUrlAsync(RegistryPaths.BlobData(digest), RedirectOptions.Get, cancellationToken);

    /// <summary>Whether the repository exists (has any of distribution's directories).</summary>
    public async Task<bool> RepositoryExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var info = await driver.StatAsync(RegistryPaths.Repository(name), cancellationToken);
            return info.IsDirectory;
        }
        catch (PathNotFoundException)
        {
            return false;
        }
    }
}
