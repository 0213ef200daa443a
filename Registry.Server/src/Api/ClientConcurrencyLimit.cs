using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Registry.Server.Api;

/// <summary>
/// At most N requests in flight per client address; the next one is answered at once with 429
/// <c>TOO_MANY_REQUESTS</c> and <c>Retry-After: 1</c> (no queueing, so a slow client cannot pin server memory).
/// </summary>
internal sealed class ClientConcurrencyLimit(int permitsPerClient) : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitPartition.GetConcurrencyLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
            _ => new ConcurrencyLimiterOptions { PermitLimit = permitsPerClient, QueueLimit = 0 }));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        using var lease = await _limiter.AcquireAsync(context, 1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            var error = new RegistryException(ErrorCode.TooManyRequests, $"at most {permitsPerClient} requests at once per client");
            error.Headers["Retry-After"] = "1";
            context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            await ErrorResponse.WriteAsync(context, error);
            return;
        }

        await next(context);
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
