using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Registry.Server.Layout;
using Registry.Server.Manifests;

namespace Registry.Server.Api;

/// <summary><c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;[?artifactType=]</c>: an OCI index of the manifests whose subject is the digest.</summary>
internal static class ReferrersEndpoints
{
    public static async Task GetAsync(RegistryServices services, HttpContext context, string name, string reference)
    {
        if (!Digest.TryParse(reference, out var subject, out var error))
        {
            throw new RegistryException(ErrorCode.DigestInvalid, error);
        }

        string? artifactType = context.Request.Query.TryGetValue("artifactType", out var at) && at.ToString().Length > 0 ? at.ToString() : null;
        var manifests = await services.Referrers.ListAsync(name, subject, artifactType, context.RequestAborted);
        if (artifactType is not null)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = manifests,
        };
        await ListingEndpoints.WriteJsonAsync(context, index, MediaTypes.OciIndex);
    }
}
