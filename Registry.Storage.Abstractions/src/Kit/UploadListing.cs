using System.Runtime.CompilerServices;

namespace Registry.Storage.Kit;

/// <summary>Helpers for <see cref="IStorageDriver.ListUploadsAsync"/>.</summary>
public static class UploadListing
{
    /// <summary>
    /// The listing of a driver that cannot list its uploads: throws
    /// <see cref="UnsupportedMethodException"/> naming <paramref name="driverName"/> when enumeration starts.
    /// </summary>
    public static async IAsyncEnumerable<PendingUpload> Unsupported(string driverName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        throw DriverErrors.Unsupported(driverName, "ListUploads");
#pragma warning disable CS0162 // an iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }
}
