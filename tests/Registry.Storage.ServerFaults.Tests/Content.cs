using System.Diagnostics;
using Registry.Storage.Conformance;

namespace Registry.Storage.ServerFaults.Tests;

/// <summary>What a path holds after a fault, judged against the content it should hold.</summary>
public enum Stored
{
    /// <summary>Nothing at the path (Stat reports PathNotFound).</summary>
    Missing,

    /// <summary>The full, correct content (same length and SHA-256).</summary>
    Intact,

    /// <summary>Something else: a partial or wrong object visible as if committed.</summary>
    Corrupt,
}

/// <summary>Seeded content (never held in memory whole) and the checks the fault tests make on it.</summary>
internal static class Content
{
    /// <summary>How long an operation may take to fail once its server is dead: longer is a hang.</summary>
    public static readonly TimeSpan FailureBound = TimeSpan.FromSeconds(120);

    /// <summary>The SHA-256 of the seeded content of <paramref name="length"/> bytes.</summary>
    public static async Task<byte[]> Sha256Async(long length, ulong seed, CancellationToken cancellationToken)
    {
        using var source = new SeededRandomStream(length, seed);
        return (await StreamChecks.HashAsync(source, cancellationToken)).Sha256;
    }

    /// <summary>Writes the seeded content through a writer in chunks of <paramref name="chunkSize"/> and commits it.</summary>
    public static async Task WriteAsync(IStorageDriver driver, string path, long length, ulong seed, int chunkSize, CancellationToken cancellationToken)
    {
        await using var writer = await driver.WriterAsync(path, append: false, cancellationToken);
        using var source = new SeededRandomStream(length, seed);
        await source.CopyToAsync(writer, chunkSize, cancellationToken);
        await writer.CommitAsync(cancellationToken);
    }

    /// <summary>Whether <paramref name="path"/> holds nothing, exactly the expected content, or anything else.</summary>
    public static async Task<Stored> StateAsync(IStorageDriver driver, string path, long length, byte[] sha256, CancellationToken cancellationToken)
    {
        try
        {
            await driver.StatAsync(path, cancellationToken);
            await using var reader = await driver.ReaderAsync(path, 0, cancellationToken);
            var (read, hash) = await StreamChecks.HashAsync(reader, cancellationToken);
            return read == length && hash.AsSpan().SequenceEqual(sha256) ? Stored.Intact : Stored.Corrupt;
        }
        catch (PathNotFoundException)
        {
            return Stored.Missing;
        }
    }

    /// <summary>Whether Stat finds <paramref name="path"/>.</summary>
    public static async Task<bool> ExistsAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        try
        {
            await driver.StatAsync(path, cancellationToken);
            return true;
        }
        catch (PathNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Awaits an operation whose server was killed: it must end within <see cref="FailureBound"/>
    /// (a hang fails the test) and either succeed (null) or fail with a
    /// <see cref="StorageDriverException"/> naming <paramref name="driverName"/> (returned).
    /// </summary>
    public static async Task<(StorageDriverException? Failure, TimeSpan Elapsed)> EndsWithinBoundAsync(
        Task operation, string driverName, string what, Stopwatch sinceKill)
    {
        try
        {
            await operation.WaitAsync(FailureBound);
            return (null, sinceKill.Elapsed);
        }
        catch (TimeoutException) when (!operation.IsCompleted)
        {
            Assert.Fail($"{driverName}: {what} hung: still running {FailureBound.TotalSeconds:0} s after its server was killed");
            throw;
        }
        catch (StorageDriverException error)
        {
            error.DriverName.ShouldBe(driverName, $"the error names the driver: {error}");
            error.Message.ShouldContain(driverName);
            return (error, sinceKill.Elapsed);
        }
    }
}
