using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Registry.Server.Api;

/// <summary>
/// One structured log line per request: method, path (never the query, which may carry a
/// signature), status, bytes, duration, remote address and the authenticated user — never a credential.
/// </summary>
internal sealed partial class RequestLog(ILogger logger)
{
    public const string UserItem = "registry.user";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
#pragma warning disable CA1873 // guarded by IsEnabled just above; the analyzer does not see through it
                LogRequest(
                    logger,
                    context.Request.Method,
                    (context.Request.PathBase + context.Request.Path).ToString(),
                    context.Response.StatusCode,
                    context.Response.ContentLength ?? -1,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    context.Connection.RemoteIpAddress?.ToString(),
                    context.Items.TryGetValue(UserItem, out var user) ? user as string : null);
#pragma warning restore CA1873
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {ResponseBytes}B {ElapsedMs:0.0}ms remote={Remote} user={User}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, long responseBytes, double elapsedMs, string? remote, string? user);
}
