using System.Diagnostics;
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
    private string _work = null!;
    private string _plugins = null!;
    private string _config = null!;
    private string _data = null!;

    [SetUp]
    public void CreateWork()
    {
        _work = Directory.CreateTempSubdirectory("regstore-crash-").FullName;
        _data = Path.Combine(_work, "data");
        _plugins = Path.Combine(_work, "plugins");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "fixtures", "Registry.Storage.Drivers.Filesystem"), Path.Combine(_plugins, "filesystem"));
        _config = Path.Combine(_work, "regstore.yaml");
        File.WriteAllText(_config, $"storage:\n  filesystem:\n    rootdirectory: {_data}\n");
    }

    [TearDown]
    public void RemoveWork() => Directory.Delete(_work, recursive: true);

    [Test]
    [CancelAfter(120_000)]
    public async Task A_put_killed_before_commit_leaves_the_previous_content_and_no_partial_file(CancellationToken cancellationToken)
    {
        var previous = RandomNumberGenerator.GetBytes(MiB);
        var previousFile = Path.Combine(_work, "previous.bin");
        await File.WriteAllBytesAsync(previousFile, previous, cancellationToken);
        (await RunToEndAsync(cancellationToken, "put", "/crash/blob", previousFile)).ShouldBe(0);
        var filesBefore = VisibleFiles();

        // 256 MiB announced, killed after 64 MiB went into its stdin: the pipe holds at most
        // 64 KiB, so the driver's writer has taken tens of MiB when the kill lands.
        using var put = Start("put", "/crash/blob", "-");
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
        var (exit, stdout) = await RunCapturedAsync(cancellationToken, "cat", "/crash/blob");
        exit.ShouldBe(0);
        stdout.ShouldBe(previous);
        (await RunCapturedAsync(cancellationToken, "ls", "-R", "/")).Stdout.AsSpan().IndexOf("crash/blob"u8).ShouldBeGreaterThanOrEqualTo(0);
        VisibleFiles().ShouldBe(filesBefore, "a crashed writer left a visible file");

        // The driver's own upload area holds the abandoned bytes, which is what lets a resumed
        // writer continue; they are not reachable through any path.
        var hidden = Directory.GetFiles(_data, "*", SearchOption.AllDirectories).Except(filesBefore.Select(f => Path.Combine(_data, f.TrimStart('/')))).ToList();
        hidden.Sum(f => new FileInfo(f).Length).ShouldBeGreaterThan(0, "the killed writer had written bytes before the kill");
        TestContext.Out.WriteLine($"killed after 64 MiB into stdin; {hidden.Sum(f => new FileInfo(f).Length) / MiB} MiB abandoned in {hidden.Count} hidden upload file(s); previous content intact");
    }

    // Files reachable by a path: everything under the root that is not in a driver-internal folder.
    private List<string> VisibleFiles() =>
        [.. Directory.GetFiles(_data, "*", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(_data, f).Replace('\\', '/'))
            .Where(p => StoragePath.IsValid(p))
            .Order(StringComparer.Ordinal)];

    private Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "regstore.dll"));
        foreach (var arg in args.Concat(["--config", _config, "--plugins", _plugins]))
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private async Task<int> RunToEndAsync(CancellationToken cancellationToken, params string[] args) =>
        (await RunCapturedAsync(cancellationToken, args)).ExitCode;

    private async Task<(int ExitCode, byte[] Stdout)> RunCapturedAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var process = Start(args);
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await copy;
        if (process.ExitCode != 0)
        {
            TestContext.Out.WriteLine($"regstore {string.Join(' ', args)}: exit {process.ExitCode}: {await stderr}");
        }

        return (process.ExitCode, stdout.ToArray());
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
