namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Runs every driver operation on one path and classifies each outcome. A hostile path may be
/// rejected (<see cref="InvalidPathException"/>), may not exist (<see cref="PathNotFoundException"/>),
/// or may be handled (success); any other failure, or a storage error that does not name the
/// driver, is a finding.
/// </summary>
internal sealed class PathProbe(IStorageDriver driver, string safePath)
{
    private static readonly byte[] Payload = "hostile-path-probe"u8.ToArray();

    /// <summary>Operations whose path was rejected as invalid.</summary>
    public int Rejected { get; private set; }

    /// <summary>Operations that ran (succeeded or found nothing).</summary>
    public int Handled { get; private set; }

    /// <summary>Operations that failed with another named storage error (e.g. a name too long for the disk).</summary>
    public int OtherStorageErrors { get; private set; }

    /// <summary>Paths tried.</summary>
    public int Paths { get; private set; }

    /// <summary>Everything that broke the rules, one line each.</summary>
    public List<string> Findings { get; } = [];

    /// <summary>Runs every operation on <paramref name="path"/>.</summary>
    public async Task ProbeAsync(string path, CancellationToken cancellationToken)
    {
        lock (Findings)
        {
            Paths++;
        }

        await RunAsync(path, "PutContent", () => driver.PutContentAsync(path, Payload, cancellationToken)).ConfigureAwait(false);
        await RunAsync(path, "GetContent", () => driver.GetContentAsync(path, cancellationToken)).ConfigureAwait(false);
        await RunAsync(path, "Reader", async () =>
        {
            await using var stream = await driver.ReaderAsync(path, 0, cancellationToken).ConfigureAwait(false);
            await stream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RunAsync(path, "Writer", async () =>
        {
            await using var writer = await driver.WriterAsync(path, append: false, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(Payload, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RunAsync(path, "WriterAppend", async () =>
        {
            await using var writer = await driver.WriterAsync(path, append: true, cancellationToken).ConfigureAwait(false);
            await writer.CancelAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await RunAsync(path, "Stat", () => driver.StatAsync(path, cancellationToken)).ConfigureAwait(false);
        await RunAsync(path, "List", async () =>
        {
            await foreach (var _ in driver.ListAsync(path, cancellationToken).ConfigureAwait(false))
            {
            }
        }).ConfigureAwait(false);
        await RunAsync(path, "Walk", () => driver.WalkAsync(path, (_, _) => ValueTask.FromResult(WalkDecision.Continue), null, cancellationToken)).ConfigureAwait(false);
        await RunAsync(path, "RedirectUrl", () => driver.RedirectUrlAsync(path, RedirectOptions.Get, cancellationToken)).ConfigureAwait(false);
        await RunAsync(path, "MoveFrom", () => driver.MoveAsync(path, safePath, cancellationToken)).ConfigureAwait(false);
        await driver.PutContentAsync(safePath, Payload, cancellationToken).ConfigureAwait(false);
        await RunAsync(path, "MoveTo", () => driver.MoveAsync(safePath, path, cancellationToken)).ConfigureAwait(false);
        await RunAsync(path, "Delete", () => driver.DeleteAsync(path, cancellationToken)).ConfigureAwait(false);
    }

    private async Task RunAsync(string path, string operation, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            Count(() => Handled++);
        }
        catch (InvalidPathException e) when (e.DriverName == driver.Name)
        {
            Count(() => Rejected++);
        }
        catch (PathNotFoundException e) when (e.DriverName == driver.Name)
        {
            Count(() => Handled++);
        }
        catch (UnsupportedMethodException e) when (e.DriverName == driver.Name)
        {
            Count(() => Handled++);
        }
        catch (StorageDriverException e) when (e.DriverName == driver.Name && e.GetType() == typeof(StorageDriverException))
        {
            // A named, wrapped backend error (say ENAMETOOLONG): clean, but worth counting.
            Count(() => OtherStorageErrors++);
        }
        catch (Exception e)
        {
            Count(() => Findings.Add($"{operation}({Printable(path)}): {e.GetType().Name}: {e.Message}"));
        }
    }

    private void Count(Action update)
    {
        lock (Findings)
        {
            update();
        }
    }

    /// <summary>The path with control and non-ASCII characters escaped, for messages.</summary>
    public static string Printable(string path) =>
        string.Concat(path.Length > 120 ? path[..120] + "…(" + path.Length + ")" : path)
            .Aggregate(new System.Text.StringBuilder(), (b, c) => c is < ' ' or > '~' ? b.Append($"\\u{(int)c:X4}") : b.Append(c))
            .ToString();
}
