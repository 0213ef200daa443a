using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Registry.Server.Api;

/// <summary>Writes the spec's error body: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
internal static class ErrorResponse
{
    public static async Task WriteAsync(HttpContext context, RegistryException error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = "application/json; charset=utf-8";
        var body = Json.Serialize(new
        {
            errors = new[] { new { code = error.Code.Code, message = error.Code.Message, detail = error.Detail ?? string.Empty } },
        });
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
