using Registry.Storage;
using Registry.Storage.Kit;

namespace Registry.Server.Tests.Infrastructure;

/// <summary>A driver that answers every RedirectUrl with a fixed URL (as a presigning driver would).</summary>
internal sealed class RedirectingDriver(IStorageDriver inner, Uri url) : DelegatingStorageDriver(inner)
{
    public override Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult<Uri?>(url);
}
