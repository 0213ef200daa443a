using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Registry.Storage;

namespace Registry.Server.Api;

/// <summary>
/// <c>/debug/health</c> as distribution answers it: <c>{}</c> with 200 when every check passes,
/// else 503 with <c>{"storagedriver_&lt;name&gt;": "&lt;error&gt;"}</c>. The check is a Stat of the root.
/// </summary>
internal static class HealthEndpoint
{
    public const string Path = "/debug/health";

    public static async Task HandleAsync(HttpContext context, IStorageDriver driver, bool checkStorage)
    {
        var failures = new Dictionary<string, string>();
        if (checkStorage)
        {
            try
            {
                await driver.StatAsync(StoragePath.Root, context.RequestAborted);
            }
            catch (StorageDriverException e)
            {
                failures["storagedriver_" + driver.Name] = e.Message;
            }
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(failures);
        context.Response.StatusCode = failures.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
