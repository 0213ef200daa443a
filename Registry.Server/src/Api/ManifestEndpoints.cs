using Microsoft.AspNetCore.Http;
using Registry.Server.Layout;
using Registry.Server.Manifests;

namespace Registry.Server.Api;

/// <summary><c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>: GET/HEAD with content negotiation, PUT, DELETE.</summary>
internal static class ManifestEndpoints
{
    private static readonly string[] KnownTypes =
    [
        MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList,
        MediaTypes.DockerSchema1, MediaTypes.DockerSchema1Signed,
    ];

    public static async Task GetAsync(RegistryServices services, HttpContext context, string name, string reference)
    {
        var ct = context.RequestAborted;
        var (tag, digest) = ParseReference(reference);
        if (tag is not null)
        {
            digest = await services.Manifests.ResolveTagAsync(name, tag, ct) ?? throw await UnknownAsync(services, name, $"tag {tag}", ct);
        }

        var manifest = await services.Manifests.GetAsync(name, digest!.Value, ct) ?? throw await UnknownAsync(services, name, digest.Value.ToString(), ct);
        var mediaType = manifest.Parsed.MediaType;
        if (!Accepts(context.Request, mediaType))
        {
            throw new RegistryException(ErrorCode.ManifestUnknown, $"the manifest is {mediaType}, which the Accept header does not list");
        }

        var response = context.Response;
        response.ContentType = mediaType;
        response.ContentLength = manifest.Content.Length;
        response.Headers["Docker-Content-Digest"] = manifest.Digest.ToString();
        response.Headers.ETag = "\"" + manifest.Digest + "\"";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(manifest.Content, ct);
        }
    }

    public static async Task PutAsync(RegistryServices services, HttpContext context, string name, string reference)
    {
        var ct = context.RequestAborted;
        var (tag, digest) = ParseReference(reference);
        var content = await ReadBoundedAsync(context.Request, services.Options.MaxManifestBytes, ct);
        var stored = await services.Manifests.PutAsync(name, tag, digest, content, context.Request.ContentType, ct);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = Urls.For(context, services.Options, $"/v2/{name}/manifests/{stored.Digest}");
        response.Headers["Docker-Content-Digest"] = stored.Digest.ToString();
        if (stored.Parsed.Subject is { } subject)
        {
            response.Headers["OCI-Subject"] = subject.Digest.ToString();
        }

        response.ContentLength = 0;
    }

    public static async Task DeleteAsync(RegistryServices services, HttpContext context, string name, string reference)
    {
        BlobEndpoints.RequireDelete(services);
        var ct = context.RequestAborted;
        var (tag, digest) = ParseReference(reference);
        var deleted = tag is not null
            ? await services.Manifests.DeleteTagAsync(name, tag, ct)
            : await services.Manifests.DeleteAsync(name, digest!.Value, ct);
        if (!deleted)
        {
            throw await UnknownAsync(services, name, reference, ct);
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }

    /// <summary>A tag or a digest; anything else is refused before it can reach a path.</summary>
    private static (string? Tag, Digest? Digest) ParseReference(string reference)
    {
        if (reference.Contains(':', StringComparison.Ordinal))
        {
            return Digest.TryParse(reference, out var digest, out var error)
                ? (null, digest)
                : throw new RegistryException(ErrorCode.DigestInvalid, error);
        }

        return ReferenceGrammar.IsValidTag(reference)
            ? (reference, null)
            : throw new RegistryException(ErrorCode.ManifestInvalid, $"'{reference}' is neither a valid tag nor a digest");
    }

    private static async Task<RegistryException> UnknownAsync(RegistryServices services, string name, string what, CancellationToken ct) =>
        await services.Blobs.RepositoryExistsAsync(name, ct)
            ? new RegistryException(ErrorCode.ManifestUnknown, $"{what} is not in {name}")
            : new RegistryException(ErrorCode.NameUnknown, $"repository {name} is not known");

    /// <summary>
    /// Negotiation as distribution does it: a client that lists manifest types in <c>Accept</c>
    /// but not this one does not get it; a client listing none (or <c>*/*</c>) gets whatever is stored.
    /// </summary>
    private static bool Accepts(HttpRequest request, string mediaType)
    {
        var listed = request.Headers.Accept
            .SelectMany(v => (v ?? string.Empty).Split(','))
            .Select(v => v.Split(';')[0].Trim())
            .Where(v => v.Length > 0)
            .ToList();
        if (listed.Count == 0 || listed.Contains("*/*") || listed.Contains(mediaType))
        {
            return true;
        }

        return !listed.Any(KnownTypes.Contains);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
        {
            throw TooLarge(max);
        }

        using var buffer = new MemoryStream();
        var copied = await Uploads.StreamCopy.CopyAsync(request.Body, buffer, null, max + 1L, ct);
        return copied > max ? throw TooLarge(max) : buffer.ToArray();
    }

    private static RegistryException TooLarge(int max) =>
        new(ErrorCode.SizeInvalid, $"a manifest may have at most {max} bytes", StatusCodes.Status413PayloadTooLarge);
}
