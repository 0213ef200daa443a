namespace Registry.Storage.Drivers.Oss.Signing;

/// <summary>The access key pair (and optional STS token) requests are signed with.</summary>
/// <param name="AccessKeyId">The AccessKey ID; not secret, it appears in every Authorization header.</param>
/// <param name="AccessKeySecret">The AccessKey secret; never printed.</param>
/// <param name="SecurityToken">The STS security token for temporary credentials, or <see langword="null"/>.</param>
public sealed record OssCredentials(string AccessKeyId, string AccessKeySecret, string? SecurityToken = null)
{
    /// <summary>Shows the key id only: the secret and the token never reach logs.</summary>
    public override string ToString() => $"OssCredentials {{ AccessKeyId = {AccessKeyId}, AccessKeySecret = ******, SecurityToken = {(SecurityToken is null ? "(none)" : "******")} }}";
}
