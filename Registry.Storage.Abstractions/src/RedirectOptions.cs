namespace Registry.Storage;

/// <summary>Options for <see cref="IStorageDriver.RedirectUrlAsync"/>.</summary>
/// <param name="Method">The HTTP method the client will use: <c>GET</c> or <c>HEAD</c>.</param>
public sealed record RedirectOptions(string Method)
{
    /// <summary>How long a URL stays valid unless a driver is configured otherwise: distribution's 20 minutes.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromMinutes(20);

    /// <summary>A GET redirect with the default expiry.</summary>
    public static RedirectOptions Get { get; } = new("GET");

    /// <summary>A HEAD redirect with the default expiry.</summary>
    public static RedirectOptions Head { get; } = new("HEAD");

    /// <summary>How long the URL must stay valid.</summary>
    public TimeSpan Expiry { get; init; } = DefaultExpiry;
}
