using Microsoft.Extensions.Logging;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// Logs every driver call through <see cref="ILogger"/>: operation, path and duration at
/// Debug, failures at Warning with the exception. It logs names and paths only — never
/// content, driver parameters or credentials (driver errors never carry those either).
/// </summary>
public sealed class LoggingDriver(IStorageDriver inner, ILogger logger, TimeProvider? timeProvider = null) : InterceptingDriver(inner)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    protected override async Task<T> InvokeAsync<T>(StorageOperation operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(call);
        var started = _time.GetTimestamp();
        try
        {
            var result = await call(cancellationToken).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
                DecoratorLog.Completed(logger, Name, operation.Name, operation.Path, elapsedMs);
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            DecoratorLog.Cancelled(logger, Name, operation.Name, operation.Path);
            throw;
        }
        catch (PathNotFoundException) when (operation.Name is "Stat" or "GetContent" or "Reader" or "List")
        {
            // Lookups of absent paths are routine for a registry (does this blob exist?); not a warning.
            DecoratorLog.NotFound(logger, Name, operation.Name, operation.Path);
            throw;
        }
        catch (Exception ex)
        {
            var elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
            DecoratorLog.Failed(logger, ex, Name, operation.Name, operation.Path, elapsedMs, StorageTelemetry.ErrorType(ex));
            throw;
        }
    }

    /// <inheritdoc />
    protected override FileWriter WrapWriter(StorageOperation operation, FileWriter writer)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new ObservedFileWriter(writer, null, (outcome, error) =>
        {
            if (error is null)
            {
                DecoratorLog.WriterFinished(logger, Name, operation.Path, outcome);
            }
            else
            {
                DecoratorLog.WriterFailed(logger, error, Name, operation.Path, outcome, StorageTelemetry.ErrorType(error));
            }
        });
    }
}
