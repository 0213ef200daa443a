using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Registry.Storage.Drivers.S3;

/// <summary>
/// The SDK client and what every request needs from the configuration: bucket, keys,
/// storage class, ACL and encryption for new objects. One per driver, shared by its parts.
/// </summary>
internal sealed class S3Store : IDisposable
{
    public S3Store(string driverName, S3Parameters parameters)
    {
        DriverName = driverName;
        Parameters = parameters;
        Client = CreateClient(parameters, parameters.RegionEndpoint);
        // Presigning is offline; a second client only so URLs carry the redirect endpoint's host.
        Presigner = parameters.RedirectEndpoint is { } redirect ? CreateClient(parameters, redirect) : Client;
    }

    public string DriverName { get; }

    public S3Parameters Parameters { get; }

    public IAmazonS3 Client { get; }

    public IAmazonS3 Presigner { get; }

    public string Bucket => Parameters.Bucket;

    /// <summary>Whether presigned URLs use plain HTTP (the redirect or regular endpoint says http://, or secure=false).</summary>
    public bool PresignOverHttp =>
        (Parameters.RedirectEndpoint ?? Parameters.RegionEndpoint) is { } endpoint && endpoint.Contains("://", StringComparison.Ordinal)
            ? endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            : !Parameters.Secure;

    /// <summary>The error for a failed <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public Exception Error(string operation, string? path, Exception error) => S3Errors.Map(DriverName, operation, path, error);

    /// <summary>Sets what distribution sets on every new object (content type, ACL, class, encryption).</summary>
    public PutObjectRequest NewPut(string key) => Apply(new PutObjectRequest { BucketName = Bucket, Key = key });

    /// <inheritdoc cref="NewPut"/>
    public InitiateMultipartUploadRequest NewMultipart(string key)
    {
        var request = new InitiateMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            ContentType = "application/octet-stream",
            CannedACL = S3CannedACL.FindValue(Parameters.ObjectAcl),
            ServerSideEncryptionMethod = EncryptionMethod,
            ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId,
        };
        if (StorageClassOrNull is { } storageClass)
        {
            request.StorageClass = storageClass;
        }

        return request;
    }

    /// <inheritdoc cref="NewPut"/>
    public CopyObjectRequest NewCopy(string sourceKey, string destinationKey)
    {
        var request = new CopyObjectRequest
        {
            SourceBucket = Bucket,
            SourceKey = sourceKey,
            DestinationBucket = Bucket,
            DestinationKey = destinationKey,
            ContentType = "application/octet-stream",
            CannedACL = S3CannedACL.FindValue(Parameters.ObjectAcl),
            ServerSideEncryptionMethod = EncryptionMethod,
            ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId,
        };
        if (StorageClassOrNull is { } storageClass)
        {
            request.StorageClass = storageClass;
        }

        return request;
    }

    /// <summary>Aborts an upload, ignoring failures: used on paths that already report an error.</summary>
    public async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, CancellationToken.None)
                .ConfigureAwait(false);
        }
#pragma warning disable CA1031 // best effort: the caller is already reporting the failure that led here
        catch (Exception)
#pragma warning restore CA1031
        {
            // An upload left behind is removed by the bucket's lifecycle rule or a later abort.
        }
    }

    private PutObjectRequest Apply(PutObjectRequest request)
    {
        request.ContentType = "application/octet-stream";
        request.CannedACL = S3CannedACL.FindValue(Parameters.ObjectAcl);
        request.ServerSideEncryptionMethod = EncryptionMethod;
        request.ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId;
        if (StorageClassOrNull is { } storageClass)
        {
            request.StorageClass = storageClass;
        }

        return request;
    }

    private ServerSideEncryptionMethod? EncryptionMethod =>
        !Parameters.Encrypt ? null : Parameters.KeyId is null ? ServerSideEncryptionMethod.AES256 : ServerSideEncryptionMethod.AWSKMS;

    private string? KmsKeyId => Parameters.Encrypt ? Parameters.KeyId : null;

    private S3StorageClass? StorageClassOrNull =>
        Parameters.StorageClass == "NONE" ? null : S3StorageClass.FindValue(Parameters.StorageClass);

    private static AmazonS3Client CreateClient(S3Parameters p, string? endpoint)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = p.ForcePathStyle,
            UseAccelerateEndpoint = p.Accelerate,
            UseDualstackEndpoint = p.UseDualStack,
            UseFIPSEndpoint = p.UseFipsEndpoint,
            // S3-compatible stores (RGW Pacific among them) reject the SDK 4 default CRC trailers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Transient faults (503 SlowDown, 500, timeouts, resets) are retried by the SDK with
            // exponential backoff and jitter; what still fails is marked IsTransient.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 5,
            Timeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(64, p.MultipartCopyMaxConcurrency),
            HttpClientFactory = new S3HttpClientFactory(p.SkipVerify, p.TcpQuickAck),
            DisableLogging = p.LogLevel == "off",
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : (p.Secure ? "https://" : "http://") + endpoint;
            config.AuthenticationRegion = p.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(p.Region);
            config.UseHttp = !p.Secure;
        }

        if (!string.IsNullOrEmpty(p.UserAgent))
        {
            config.ClientAppId = p.UserAgent;
        }

        if (p.AccessKey is not null && p.SecretKey is not null)
        {
            AWSCredentials credentials = p.SessionToken is null
                ? new BasicAWSCredentials(p.AccessKey, p.SecretKey)
                : new SessionAWSCredentials(p.AccessKey, p.SecretKey, p.SessionToken);
            return new AmazonS3Client(credentials, config);
        }

        return new AmazonS3Client(config);
    }

    public void Dispose()
    {
        if (!ReferenceEquals(Presigner, Client))
        {
            Presigner.Dispose();
        }

        Client.Dispose();
    }
}
