using System.Reflection;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// Every call into plugin code goes through here: on a pool thread, bounded by the call limit,
/// with what it throws unwrapped to its cause and reported with the plugin folder. A call that
/// never returns leaves one pool thread behind; the host carries on.
/// </summary>
internal static class PluginCall
{
    public static async Task<T> RunAsync<T>(string folder, string what, TimeSpan limit, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var task = Task.Run(call, CancellationToken.None);
        try
        {
            return await task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new PluginLoadException(folder, $"{what} did not return within {Seconds(limit)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not PluginLoadException and not StorageDriverException)
        {
            var cause = Unwrap(ex);
            if (cause is StorageDriverException or OperationCanceledException)
            {
                throw cause;
            }

            throw new PluginLoadException(folder, $"{what} failed: {Describe(cause)}", cause);
        }
    }

    public static T Run<T>(string folder, string what, TimeSpan limit, Func<T> call) =>
        RunAsync(folder, what, limit, () => Task.FromResult(call()), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The exception that says what really happened, below reflection and type-initializer wrappers.</summary>
    public static Exception Unwrap(Exception ex)
    {
        while (ex is TargetInvocationException or TypeInitializationException or AggregateException && ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex is ReflectionTypeLoadException typeLoad && typeLoad.LoaderExceptions.FirstOrDefault(e => e is not null) is { } first ? Unwrap(first) : ex;
    }

    /// <summary>One line for a cause: a missing dependency named as such, else type and message.</summary>
    public static string Describe(Exception ex)
    {
        ex = Unwrap(ex);
        return ex switch
        {
            FileNotFoundException { FileName: { Length: > 0 } file } => $"a dependency is missing: {file}",
            FileLoadException { FileName: { Length: > 0 } file } => $"a dependency cannot be loaded: {file}: {ex.Message}",
            DllNotFoundException => $"a native library is missing ({nameof(DllNotFoundException)}): {ex.Message}",
            _ => $"{ex.GetType().Name}: {ex.Message}",
        };
    }

    private static string Seconds(TimeSpan limit) => limit.TotalSeconds >= 1 ? $"{limit.TotalSeconds:0.#} s" : $"{limit.TotalMilliseconds:0} ms";
}
