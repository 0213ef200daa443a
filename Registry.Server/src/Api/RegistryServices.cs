using Registry.Server.Manifests;
using Registry.Server.Storage;
using Registry.Server.Uploads;
using Registry.Storage;

namespace Registry.Server.Api;

/// <summary>Everything an endpoint needs, built once per application over the driver.</summary>
internal sealed class RegistryServices
{
    public RegistryServices(RegistryServerOptions options, IStorageDriver driver, TimeProvider time)
    {
        Options = options;
        Driver = driver;
        Blobs = new RepositoryBlobs(driver);
        Uploads = new UploadService(driver, Blobs, time);
        Manifests = new ManifestService(driver, Blobs);
        Referrers = new ReferrersService(driver, Manifests);
        Tags = new TagService(driver);
        Catalog = new CatalogService(driver);
    }

    public RegistryServerOptions Options { get; }

    public IStorageDriver Driver { get; }

    public RepositoryBlobs Blobs { get; }

    public UploadService Uploads { get; }

    public ManifestService Manifests { get; }

    public ReferrersService Referrers { get; }

    public TagService Tags { get; }

    public CatalogService Catalog { get; }
}
