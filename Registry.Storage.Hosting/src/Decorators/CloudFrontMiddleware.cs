using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Registry.Storage.Kit;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>The <c>cloudfront</c> middleware's settings (distribution's option names).</summary>
/// <param name="BaseUrl">The CloudFront distribution, e.g. <c>https://d111111abcdef8.cloudfront.net/</c>.</param>
/// <param name="PrivateKeyPem">The key pair's RSA private key as PEM (PKCS#1 or PKCS#8).</param>
/// <param name="KeyPairId">The CloudFront key pair (or public key) id.</param>
/// <param name="Duration">How long a signed URL stays valid (distribution's default 20 minutes).</param>
/// <param name="RootDirectory">The s3 driver's <c>rootdirectory</c>, so URLs name the object key the driver uses.</param>
public sealed record CloudFrontOptions(Uri BaseUrl, string PrivateKeyPem, string KeyPairId, TimeSpan Duration, string? RootDirectory = null)
{
    // The private key must never reach a log line or an exception message.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"BaseUrl = {BaseUrl}, PrivateKeyPem = ******, KeyPairId = {KeyPairId}, Duration = {Duration}, RootDirectory = {RootDirectory}");
        return true;
    }
}

/// <summary>
/// Distribution's <c>cloudfront</c> storage middleware: redirect URLs become CloudFront
/// signed URLs (canned policy, RSA-SHA1, CloudFront's URL-safe base64) for the object key
/// the s3 driver stores the path under. As in distribution it works with the s3 driver
/// only; in front of any other driver it logs a warning and passes the driver's own URL.
/// </summary>
/// <remarks>
/// Distribution's optional IP filtering (<c>ipfilteredby</c>, <c>awsregion</c>), which sends
/// clients inside AWS straight to S3, needs AWS's published IP ranges fetched over the
/// network and is not offered.
/// </remarks>
public sealed class CloudFrontMiddleware : DelegatingStorageDriver, IDisposable
{
    private readonly CloudFrontOptions _options;
    private readonly RSA _key;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _supported;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentException">The private key is not an RSA PEM key.</exception>
    public CloudFrontMiddleware(IStorageDriver inner, CloudFrontOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _key = LoadKey(options.PrivateKeyPem);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _supported = string.Equals(inner.Name, "s3", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public override DriverCapabilities Capabilities => _supported ? Inner.Capabilities with { Redirect = true } : Inner.Capabilities;

    /// <summary>Parses an RSA private key from PEM, failing with a message that never shows the key.</summary>
    public static RSA LoadKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new ArgumentException("cloudfront privatekey is not an RSA private key in PEM form (PKCS#1 or PKCS#8)", nameof(pem));
        }
    }

    /// <inheritdoc />
    public override Task<Uri?> RedirectUrlAsync(string path, RedirectOptions options, CancellationToken cancellationToken = default)
    {
        if (!_supported)
        {
            DecoratorLog.CloudFrontUnsupported(_logger, Inner.Name);
            return Inner.RedirectUrlAsync(path, options, cancellationToken);
        }

        var expires = _time.GetUtcNow().Add(_options.Duration).ToUnixTimeSeconds();
        return Task.FromResult<Uri?>(new Uri(Sign(BaseUrlText() + ObjectKey(path), expires)));
    }

    /// <summary>The S3 object key of <paramref name="path"/>: distribution's <c>S3BucketKey</c>, root directory plus path, no leading slash.</summary>
    public string ObjectKey(string path) => ((_options.RootDirectory ?? "").TrimEnd('/') + path).TrimStart('/');

    /// <summary>Signs <paramref name="resourceUrl"/> with a canned policy expiring at <paramref name="expiresUnixSeconds"/>.</summary>
    public string Sign(string resourceUrl, long expiresUnixSeconds)
    {
        ArgumentNullException.ThrowIfNull(resourceUrl);
        var policy = CannedPolicy(resourceUrl, expiresUnixSeconds);
        var signature = _key.SignData(Encoding.UTF8.GetBytes(policy), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        var separator = resourceUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return string.Create(CultureInfo.InvariantCulture,
            $"{resourceUrl}{separator}Expires={expiresUnixSeconds}&Signature={UrlSafeBase64(signature)}&Key-Pair-Id={_options.KeyPairId}");
    }

    /// <summary>The canned policy CloudFront verifies a signature against (no whitespace, as CloudFront requires).</summary>
    public static string CannedPolicy(string resourceUrl, long expiresUnixSeconds) =>
        "{\"Statement\":[{\"Resource\":\"" + resourceUrl + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
        + expiresUnixSeconds.ToString(CultureInfo.InvariantCulture) + "}}}]}";

    /// <summary>CloudFront's URL-safe base64: <c>+</c>→<c>-</c>, <c>=</c>→<c>_</c>, <c>/</c>→<c>~</c>.</summary>
    public static string UrlSafeBase64(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).Replace('+', '-').Replace('=', '_').Replace('/', '~');

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        _key.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // distribution: "https://" added when the scheme is missing, and always a trailing slash.
    private string BaseUrlText()
    {
        var text = _options.BaseUrl.ToString();
        return text.EndsWith('/') ? text : text + "/";
    }
}
