using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// Both kinds of upload in progress: the registry's (<c>repositories/&lt;name&gt;/_uploads/&lt;id&gt;</c>,
/// <see cref="UploadLister"/>) and the driver's own — what a writer left uncommitted outside them,
/// such as an interrupted <c>regstore put</c> (<see cref="IStorageDriver.ListUploadsAsync"/>).
/// </summary>
/// <param name="Registry">The registry's uploads, sorted by repository and id; their uncommitted data counts in their size.</param>
/// <param name="Driver">The driver's pending uploads outside every registry upload, sorted by path.</param>
/// <param name="DriverListsUploads">Whether the driver can list its pending uploads (a plugin built against contract 1.1 cannot); when not, <paramref name="Driver"/> is empty.</param>
public sealed record PendingUploads(IReadOnlyList<UploadInfo> Registry, IReadOnlyList<PendingUpload> Driver, bool DriverListsUploads);

/// <summary>Lists <see cref="PendingUploads"/>: one walk of <c>repositories/</c> and one listing of the driver's pending uploads under <c>/</c>.</summary>
public sealed class PendingUploadLister(IStorageDriver driver)
{
    /// <summary>Both kinds of upload.</summary>
    public async Task<PendingUploads> ListAsync(CancellationToken cancellationToken)
    {
        if (!driver.Capabilities.ListUploads)
        {
            return new PendingUploads(await new UploadLister(driver).ListAsync(cancellationToken), [], false);
        }

        var pending = await ListDriverUploadsAsync(driver, StoragePath.Root, cancellationToken);
        var registry = await new UploadLister(driver).ListAsync(pending, cancellationToken);
        var outside = pending.Where(u => UploadLister.UploadOf(u.Path) is null).ToList();
        return new PendingUploads(registry, outside, true);
    }

    /// <summary>The driver's pending uploads at or below <paramref name="path"/>, sorted by path.</summary>
    internal static async Task<IReadOnlyList<PendingUpload>> ListDriverUploadsAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        var uploads = new List<PendingUpload>();
        await foreach (var upload in driver.ListUploadsAsync(path, cancellationToken))
        {
            uploads.Add(upload);
        }

        uploads.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return uploads;
    }
}
