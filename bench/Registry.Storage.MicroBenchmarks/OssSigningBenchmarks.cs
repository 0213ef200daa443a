using BenchmarkDotNet.Attributes;
using Registry.Storage.Drivers.Oss.Signing;

namespace Registry.Storage.MicroBenchmarks;

/// <summary>OSS V4 signing happens once per request; a registry's small GETs make it a hot path.</summary>
[MemoryDiagnoser]
public class OssSigningBenchmarks
{
    // Fake, public-looking test credentials: nothing here reaches a server.
    private readonly OssV4Signer _signer = new(new OssCredentials("LTAIBenchAccessKeyId", "BenchSecretNotARealKey"), "oss-cn-hangzhou");
    private readonly OssSigningRequest _get = new(
        "GET",
        "regstore",
        "docker/registry/v2/blobs/sha256/4f/4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945/data",
        [],
        [
            new("x-oss-date", "20261128T120000Z"),
            new("x-oss-content-sha256", OssV4Signer.UnsignedPayload),
            new("Host", "regstore.oss-cn-hangzhou.aliyuncs.com"),
        ]);

    private readonly OssSigningRequest _uploadPart = new(
        "PUT",
        "regstore",
        "docker/registry/v2/repositories/library/ubuntu/_uploads/0f1e2d3c/data",
        [new("partNumber", "17"), new("uploadId", "0004B9895DBBB6EC98E36A5C5C5A0B1C")],
        [
            new("x-oss-date", "20261128T120000Z"),
            new("x-oss-content-sha256", OssV4Signer.UnsignedPayload),
            new("Content-Type", "application/octet-stream"),
            new("Host", "regstore.oss-cn-hangzhou.aliyuncs.com"),
        ]);

    /// <summary>Signing a GET of a blob (header authorisation).</summary>
    [Benchmark]
    public OssSignature SignGet() => _signer.Sign(_get);

    /// <summary>Signing an UploadPart with query parameters.</summary>
    [Benchmark]
    public OssSignature SignUploadPart() => _signer.Sign(_uploadPart);
}
