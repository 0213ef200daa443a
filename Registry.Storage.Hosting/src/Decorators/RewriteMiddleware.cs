using Registry.Storage.Kit;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>What the <c>rewrite</c> middleware changes; empty values leave that part alone.</summary>
/// <param name="Scheme">Replaces the URL's scheme (<c>https</c>).</param>
/// <param name="Host">Replaces the URL's host, optionally with a port (<c>cdn.example.com:8443</c>).</param>
/// <param name="TrimPathPrefix">Removed from the start of the URL's path when present.</param>
public sealed record RewriteOptions(string? Scheme = null, string? Host = null, string? TrimPathPrefix = null);

/// <summary>
/// Distribution's <c>rewrite</c> storage middleware: takes the URL the driver gives (a
/// presigned S3 URL, say) and replaces its scheme and host and trims a path prefix — for a
/// proxy in front of the backend. No URL from the driver means no URL. The query (the
/// signature) is kept as it is.
/// </summary>
public sealed class RewriteMiddleware(IStorageDriver inner, RewriteOptions rewrite) : DelegatingStorageDriver(inner)
{
    /// <inheritdoc />
    public override async Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        var url = await Inner.RedirectUrlAsync(path, options, cancellationToken).ConfigureAwait(false);
        if (url is null)
        {
            return null;
        }

        var builder = new UriBuilder(url);
        if (!string.IsNullOrEmpty(rewrite.Scheme))
        {
            var keepDefaultPort = url.IsDefaultPort;
            builder.Scheme = rewrite.Scheme;
            if (keepDefaultPort)
            {
                builder.Port = -1;
            }
        }

        if (!string.IsNullOrEmpty(rewrite.Host))
        {
            // Go's u.Host carries an optional port; so does ours.
            var colon = rewrite.Host.LastIndexOf(':');
            if (colon > 0 && !rewrite.Host.EndsWith(']') && int.TryParse(rewrite.Host[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                builder.Host = rewrite.Host[..colon];
                builder.Port = port;
            }
            else
            {
                builder.Host = rewrite.Host;
                builder.Port = -1;
            }
        }

        if (!string.IsNullOrEmpty(rewrite.TrimPathPrefix) && builder.Path.StartsWith(rewrite.TrimPathPrefix, StringComparison.Ordinal))
        {
            builder.Path = builder.Path[rewrite.TrimPathPrefix.Length..];
        }

        return builder.Uri;
    }
}
