using System.Diagnostics;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Starts an <see cref="Activity"/> on <see cref="StorageTelemetry.ActivitySource"/> for each
/// driver call (distribution's <c>base</c> opens a span per call), tagged with the driver,
/// the operation and the path; a failure sets the error status and the exception type.
/// With no listener the source creates nothing.
/// </summary>
/// <remarks>
/// A reader's or writer's span covers opening it; the bytes then move in the caller's own
/// span. Paths are storage paths (repository names, digests), never credentials.
/// </remarks>
public sealed class TracingDriver(IStorageDriver inner, ActivitySource? source = null) : InterceptingDriver(inner)
{
    private readonly ActivitySource _source = source ?? StorageTelemetry.ActivitySource;

    /// <inheritdoc />
    protected override async Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(call);
        using var activity = _source.StartActivity("storage " + operation.Name, ActivityKind.Internal);
        if (activity is null)
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }

        activity.SetTag("storage.driver", Name);
        activity.SetTag("storage.operation", operation.Name);
        activity.SetTag("storage.path", operation.Path);
        try
        {
            var result = await call(cancellationToken).ConfigureAwait(false);
            activity.SetStatus(ActivityStatusCode.Ok);
            return result;
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex is StorageDriverException sde ? sde.Detail : ex.GetType().Name);
            activity.SetTag("error.type", StorageTelemetry.ErrorType(ex));
            activity.AddException(ex);
            throw;
        }
    }
}
