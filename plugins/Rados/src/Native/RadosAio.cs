using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>
/// Bridges librados completions to <see cref="Task"/>: each operation gets a completion whose
/// callback argument is a <see cref="GCHandle"/> to its state; the callback (on a librados
/// thread) reads the result, unpins the buffer, releases the completion and completes the
/// task. Continuations run on the thread pool, never on librados' finisher thread.
/// </summary>
/// <remarks>
/// An operation cannot be abandoned while librados may still touch its buffer, so
/// cancellation is checked before submission only; librados' own timeouts
/// (<c>rados_osd_op_timeout</c>) bound how long one can run.
/// </remarks>
internal static class RadosAio
{
    /// <summary>Submits one operation. <paramref name="submit"/> gets the completion and returns librados' immediate result.</summary>
    /// <returns>The operation's return value (≥ 0; a negative one becomes a <see cref="RadosException"/>) and the object version it saw.</returns>
    public static async Task<AioResult> RunAsync(RadosIoContextHandle io, string operation, string? objectId, MemoryHandle pin, Func<nint, int> submit, CancellationToken cancellationToken)
    {
        var state = new State(pin);
        var referenced = false;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Keep the I/O context alive until the operation has completed.
            io.DangerousAddRef(ref referenced);
            Submit(state, operation, objectId, submit);
            var result = await state.Completion.Task.ConfigureAwait(false);
            RadosException.Check(result.ReturnValue, operation, objectId);
            return result;
        }
        finally
        {
            state.ReleaseIfNotSubmitted();
            if (referenced)
            {
                io.DangerousRelease();
            }
        }
    }

    private static unsafe void Submit(State state, string operation, string? objectId, Func<nint, int> submit)
    {
        var gcHandle = GCHandle.Alloc(state);
        var rc = RadosNative.rados_aio_create_completion2(GCHandle.ToIntPtr(gcHandle), &OnComplete, out var completion);
        if (rc < 0)
        {
            gcHandle.Free();
            throw new RadosException("rados_aio_create_completion2", objectId, rc);
        }

        try
        {
            rc = submit(completion);
        }
        catch
        {
            // Marshalling failed before librados saw the completion: nothing will call back.
            gcHandle.Free();
            RadosNative.rados_aio_release(completion);
            throw;
        }

        if (rc < 0)
        {
            // Not queued: the callback will never run, so clean up here.
            gcHandle.Free();
            RadosNative.rados_aio_release(completion);
            throw new RadosException(operation, objectId, rc);
        }

        state.Submitted = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnComplete(nint completion, nint argument)
    {
        var gcHandle = GCHandle.FromIntPtr(argument);
        var state = (State)gcHandle.Target!;
        var result = new AioResult(RadosNative.rados_aio_get_return_value(completion), RadosNative.rados_aio_get_version(completion));

        // librados holds its own reference while the callback runs, so releasing here is safe.
        RadosNative.rados_aio_release(completion);
        gcHandle.Free();
        state.Pin.Dispose();
        state.Completion.TrySetResult(result);
    }

    private sealed class State(MemoryHandle pin)
    {
        public MemoryHandle Pin = pin;

        public TaskCompletionSource<AioResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Submitted { get; set; }

        public void ReleaseIfNotSubmitted()
        {
            if (!Submitted)
            {
                Pin.Dispose();
            }
        }
    }
}

/// <summary>What a completed asynchronous operation reported.</summary>
/// <param name="ReturnValue">librados' result: bytes read, or 0.</param>
/// <param name="Version">The object's version after the operation, for <see cref="RadosWriteOperation.AssertVersion"/> guards.</param>
internal readonly record struct AioResult(int ReturnValue, ulong Version);
