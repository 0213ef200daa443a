using System.Security.Cryptography;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// A real crash between write and commit: <c>regstore put</c> streaming from stdin into the
/// filesystem driver is killed with SIGKILL midway. Nothing partial may be visible at the path
/// afterwards, and the content committed there before must be intact.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ProcessCrashTests
{
    private const int MiB = 1 << 20;
    private RegstoreProcess _regstore = null!;

    [SetUp]
    public void CreateScratch() => _regstore = RegstoreProcess.CreateScratch("crash");

    [TearDown]
    public void RemoveScratch() => _regstore.Dispose();

    [Test]
    [CancelAfter(120_000)]
    public async Task A_put_killed_before_commit_leaves_the_previous_content_and_no_partial_file(CancellationToken cancellationToken)
    {
        var previous = RandomNumberGenerator.GetBytes(MiB);
        var previousFile = Path.Combine(_regstore.Work, "previous.bin");
        await File.WriteAllBytesAsync(previousFile, previous, cancellationToken);
        (await _regstore.RunAsync(cancellationToken, "put", "/crash/blob", previousFile)).ExitCode.ShouldBe(0);
        var filesBefore = VisibleFiles();

        // Killed after 64 MiB went into its stdin: the pipe holds at most 64 KiB, so the
        // driver's writer has taken tens of MiB when the kill lands.
        using var put = _regstore.Start("put", "/crash/blob", "-");
        var chunk = RandomNumberGenerator.GetBytes(MiB);
        for (var written = 0; written < 64; written++)
        {
            await put.StandardInput.BaseStream.WriteAsync(chunk, cancellationToken);
        }

        await put.StandardInput.BaseStream.FlushAsync(cancellationToken);
        put.Kill(entireProcessTree: true); // SIGKILL: no dispose, no finally, no commit
        await put.WaitForExitAsync(cancellationToken);
        put.ExitCode.ShouldBe(137, "killed by SIGKILL");

        // What a reader sees afterwards: exactly the previous content, and no new visible file.
        var (exit, stdout, _) = await _regstore.RunAsync(cancellationToken, "cat", "/crash/blob");
        exit.ShouldBe(0);
        stdout.ShouldBe(previous);
        VisibleFiles().ShouldBe(filesBefore, "a crashed writer left a visible file");

        // The driver's own upload area holds the abandoned bytes, which is what lets a resumed
        // writer continue; they are not reachable through any path.
        var hidden = Directory.GetFiles(_regstore.Data, "*", SearchOption.AllDirectories)
            .Except(filesBefore.Select(f => Path.Combine(_regstore.Data, f.TrimStart('/')))).ToList();
        var abandoned = hidden.Sum(f => new FileInfo(f).Length);
        abandoned.ShouldBeGreaterThan(0, "the killed writer had written bytes before the kill");
        TestContext.Out.WriteLine($"killed after 64 MiB into stdin; {abandoned / MiB} MiB abandoned in {hidden.Count} hidden upload file(s); previous content intact");
    }

    // Files reachable by a path: everything under the root whose name is a valid storage path
    // (the driver's upload files carry '~', which no path may).
    private List<string> VisibleFiles() =>
        [.. Directory.GetFiles(_regstore.Data, "*", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(_regstore.Data, f).Replace('\\', '/'))
            .Where(p => StoragePath.IsValid(p))
            .Order(StringComparer.Ordinal)];
}
