using Registry.Storage.Kit;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Distribution's <c>redirect</c> storage middleware: redirect URLs point at
/// <c>baseurl</c> plus the storage path (a CDN or web server in front of the same tree),
/// whatever the driver could give itself. Everything else passes through.
/// </summary>
public sealed class RedirectMiddleware : DelegatingStorageDriver
{
    private readonly Uri _baseUrl;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="baseUrl"/> must be absolute with a scheme and host.</summary>
    public RedirectMiddleware(IStorageDriver inner, Uri baseUrl)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || string.IsNullOrEmpty(baseUrl.Host))
        {
            throw new ArgumentException($"redirect baseurl {baseUrl} needs a scheme and a host", nameof(baseUrl));
        }

        _baseUrl = baseUrl;
    }

    /// <inheritdoc />
    public override DriverCapabilities Capabilities => Inner.Capabilities with { Redirect = true };

    /// <inheritdoc />
    public override Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        // Go's path.Join(basePath, path): one slash between them, none doubled.
        var basePath = _baseUrl.AbsolutePath.TrimEnd('/');
        var builder = new UriBuilder(_baseUrl.Scheme, _baseUrl.Host, _baseUrl.Port, basePath + path) { Query = "", Fragment = "" };
        return Task.FromResult<Uri?>(builder.Uri);
    }
}
