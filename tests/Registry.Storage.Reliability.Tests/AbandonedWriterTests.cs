namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// A writer abandoned mid-write (its process gone: never committed, cancelled or disposed)
/// leaves nothing visible at the path: a fresh driver on the same root, as a restarted process
/// would create, finds no file, lists no entry, and still reads the earlier committed content.
/// </summary>
[TestFixture]
public sealed class AbandonedWriterTests
{
    [Test, CancelAfter(60_000)]
    public async Task AnAbandonedFilesystemWriterLeavesNoVisiblePartialFile(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), Drivers.RunSegment("abandoned"));
        var parameters = new DriverParameters("filesystem", new Dictionary<string, object?> { ["rootdirectory"] = root });
        try
        {
            var crashed = await Drivers.CreateAsync("filesystem", parameters, cancellationToken);
            await crashed.PutContentAsync("/dir/committed", "before"u8.ToArray(), cancellationToken);
            var writer = await crashed.WriterAsync("/dir/partial", append: false, cancellationToken);
            await writer.WriteAsync(new byte[256 * 1024], cancellationToken);
            var overwrite = await crashed.WriterAsync("/dir/committed", append: false, cancellationToken);
            await overwrite.WriteAsync(new byte[256 * 1024], cancellationToken);

            // Neither writer is ever committed, cancelled or disposed: the process "died" here.
            var restarted = await Drivers.CreateAsync("filesystem", parameters, cancellationToken);
            await Should.ThrowAsync<PathNotFoundException>(() => restarted.StatAsync("/dir/partial", cancellationToken));
            var listed = new List<string>();
            await foreach (var entry in restarted.ListAsync("/dir", cancellationToken))
            {
                listed.Add(entry);
            }

            listed.ShouldBe(["/dir/committed"]);
            (await restarted.GetContentAsync("/dir/committed", cancellationToken)).ShouldBe("before"u8.ToArray());
            GC.KeepAlive(writer);
            GC.KeepAlive(overwrite);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
