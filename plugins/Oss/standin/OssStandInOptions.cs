namespace Registry.Storage.Oss.StandIn;

/// <summary>How a stand-in instance runs: its one bucket, the key pair it accepts, where it listens and keeps data.</summary>
public sealed record OssStandInOptions
{
    /// <summary>The bucket it serves, addressed virtual-hosted as <c>&lt;bucket&gt;.&lt;endpoint host&gt;</c>.</summary>
    public string Bucket { get; init; } = "regstore-standin";

    /// <summary>The AccessKey ID requests must be signed with.</summary>
    public string AccessKeyId { get; init; } = "LTAIStandInAccessKeyId";

    /// <summary>The AccessKey secret requests must be signed with.</summary>
    public string AccessKeySecret { get; init; } = "StandInAccessKeySecret0123456789";

    /// <summary>The region (<c>oss-</c> prefixed, as the driver's parameter); V4 scopes must name it without the prefix.</summary>
    public string Region { get; init; } = "oss-cn-hangzhou";

    /// <summary>
    /// The endpoint host name the Host header must carry after the bucket label. <c>.invalid</c>
    /// never resolves (RFC 2606), so a client not forced to loopback fails fast instead of
    /// reaching the internet.
    /// </summary>
    public string EndpointHost { get; init; } = "oss-standin.invalid";

    /// <summary>
    /// With a value, the key pair is temporary (STS): every request must carry this token
    /// (<c>x-oss-security-token</c>, or <c>security-token</c> in V1 URLs). Without, tokens are refused.
    /// </summary>
    public string? SecurityToken { get; init; }

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where objects and parts live; <see langword="null"/> for a fresh temp folder removed on dispose.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The smallest part a multipart upload may have except the last (OSS: 100 KB).</summary>
    public long MinPartSize { get; init; } = 100 * 1024;

    /// <summary>The largest source CopyObject accepts (OSS: 1 GB); larger sources need UploadPartCopy.</summary>
    public long CopyObjectLimit { get; init; } = 1L << 30;

    /// <summary>How far a request's signing time may be from the server's clock (OSS: 15 minutes).</summary>
    public TimeSpan AllowedClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Keeps the secret out of logs.</summary>
    public override string ToString() => $"OssStandInOptions {{ Bucket = {Bucket}, AccessKeyId = {AccessKeyId}, AccessKeySecret = ******, Region = {Region}, EndpointHost = {EndpointHost}, Port = {Port} }}";
}
