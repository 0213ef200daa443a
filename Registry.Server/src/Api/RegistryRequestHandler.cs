using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Registry.Server.Auth;
using Registry.Server.Layout;
using Registry.Server.Uploads;
using Registry.Storage;

namespace Registry.Server.Api;

/// <summary>
/// Serves the distribution API: matches the path, validates the repository name and the
/// reference by the spec's grammar before anything touches storage, checks access and the
/// read-only switch, then calls the endpoint. Spec errors become the spec's JSON body.
/// </summary>
internal sealed class RegistryRequestHandler(RegistryServices services, IRegistryAuthenticator? authenticator, ILogger logger)
{
    private static readonly string[] Pull = ["pull"];
    private static readonly string[] PullPush = ["pull", "push"];
    private static readonly string[] Delete = ["delete"];

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        try
        {
            await DispatchAsync(context);
        }
        catch (RegistryException e)
        {
            await ErrorResponse.WriteAsync(context, e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BadHttpRequestException e)
        {
            await ErrorResponse.WriteAsync(context, new RegistryException(ErrorCode.SizeInvalid, e.Message, e.StatusCode));
        }
        catch (Exception e) when (e is StorageDriverException or InvalidDataException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "storage failed for {Method} {Path}", context.Request.Method, context.Request.Path);
            await ErrorResponse.WriteAsync(context, new RegistryException(ErrorCode.Unknown, "the storage driver failed"));
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var route = RouteMatch.Parse(request.Path.Value ?? string.Empty)
            ?? throw new RegistryException(new ErrorCode("NOT_FOUND", 404, "no such API endpoint"));
        var method = request.Method;
        var name = route.Name;
        if (route.Kind is not (RouteKind.Base or RouteKind.Catalog) && !ReferenceGrammar.IsValidName(name))
        {
            throw new RegistryException(ErrorCode.NameInvalid, $"'{Shorten(name)}' is not a valid repository name");
        }

        var isWrite = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
        if (isWrite && route.Kind is RouteKind.Base or RouteKind.Catalog or RouteKind.Tags or RouteKind.Referrers)
        {
            throw MethodNotAllowed(method);
        }

        await AuthorizeAsync(context, route, method);

        if (isWrite && services.Options.ReadOnly)
        {
            throw new RegistryException(ErrorCode.Unsupported, "the registry is in read-only mode (storage.maintenance.readonly)");
        }

        switch (route.Kind)
        {
            case RouteKind.Base:
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = 2;
                if (!HttpMethods.IsHead(method))
                {
                    await context.Response.WriteAsync("{}", context.RequestAborted);
                }

                return;
            case RouteKind.Catalog:
                await ListingEndpoints.CatalogAsync(services, context);
                return;
            case RouteKind.Tags:
                await ListingEndpoints.TagsAsync(services, context, name);
                return;
            case RouteKind.Referrers:
                await ReferrersEndpoints.GetAsync(services, context, name, route.Reference);
                return;
            case RouteKind.Manifest:
                await (method switch
                {
                    _ when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => ManifestEndpoints.GetAsync(services, context, name, route.Reference),
                    _ when HttpMethods.IsPut(method) => ManifestEndpoints.PutAsync(services, context, name, route.Reference),
                    _ when HttpMethods.IsDelete(method) => ManifestEndpoints.DeleteAsync(services, context, name, route.Reference),
                    _ => throw MethodNotAllowed(method),
                });
                return;
            case RouteKind.Blob:
                if (!Digest.TryParse(route.Reference, out var digest, out var error))
                {
                    throw new RegistryException(ErrorCode.DigestInvalid, error);
                }

                await (method switch
                {
                    _ when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => BlobEndpoints.GetAsync(services, context, name, digest),
                    _ when HttpMethods.IsDelete(method) => BlobEndpoints.DeleteAsync(services, context, name, digest),
                    _ => throw MethodNotAllowed(method),
                });
                return;
            default:
                await UploadAsync(context, name, route.Reference, method);
                return;
        }
    }

    private Task UploadAsync(HttpContext context, string name, string id, string method)
    {
        if (id.Length == 0)
        {
            return HttpMethods.IsPost(method) ? UploadEndpoints.StartAsync(services, context, name) : throw MethodNotAllowed(method);
        }

        if (!UploadId.IsValid(id))
        {
            throw new RegistryException(ErrorCode.BlobUploadUnknown, "not an upload id");
        }

        return method switch
        {
            _ when HttpMethods.IsPatch(method) => UploadEndpoints.PatchAsync(services, context, name, id),
            _ when HttpMethods.IsPut(method) => UploadEndpoints.CompleteAsync(services, context, name, id),
            _ when HttpMethods.IsGet(method) => UploadEndpoints.StatusAsync(services, context, name, id),
            _ when HttpMethods.IsDelete(method) => UploadEndpoints.CancelAsync(services, context, name, id),
            _ => throw MethodNotAllowed(method),
        };
    }

    private async Task AuthorizeAsync(HttpContext context, RouteMatch route, string method)
    {
        if (authenticator is null)
        {
            return;
        }

        var access = new List<AccessRequest>();
        if (route.Kind == RouteKind.Catalog)
        {
            access.Add(new AccessRequest("registry", "catalog", ["*"]));
        }
        else if (route.Kind != RouteKind.Base)
        {
            var actions = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? Pull
                : HttpMethods.IsDelete(method) && route.Kind != RouteKind.Upload ? Delete
                : PullPush;
            access.Add(new AccessRequest("repository", route.Name, actions));
            if (route.Kind == RouteKind.Upload && context.Request.Query["from"].ToString() is { Length: > 0 } from && ReferenceGrammar.IsValidName(from))
            {
                access.Add(new AccessRequest("repository", from, Pull));
            }
        }

        var result = await authenticator.AuthenticateAsync(context.Request, access, context.RequestAborted);
        if (!result.Succeeded)
        {
            var error = new RegistryException(ErrorCode.Unauthorized, result.Detail);
            error.Headers["WWW-Authenticate"] = result.Challenge!;
            throw error;
        }

        context.Items[RequestLog.UserItem] = result.User;
    }

    private static RegistryException MethodNotAllowed(string method) =>
        new(ErrorCode.Unsupported, $"{method} is not allowed on this endpoint");

    private static string Shorten(string s) => s.Length <= 100 ? s : s[..100] + "…";
}
