using System.Diagnostics;

namespace Registry.Storage.Host.Tests;

/// <summary>
/// Runs the real <c>regstore</c> (regstore.dll beside the tests) as a child process against a
/// scratch folder holding a config and a plugins folder with the filesystem driver, for what an
/// in-process call cannot show: separate stdout and stderr, exit codes, SIGKILL.
/// </summary>
internal sealed class RegstoreProcess : IDisposable
{
    private RegstoreProcess(string work)
    {
        Work = work;
        Data = Path.Combine(work, "data");
        Plugins = Path.Combine(work, "plugins");
        Config = Path.Combine(work, "regstore.yaml");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "fixtures", "Registry.Storage.Drivers.Filesystem"), Path.Combine(Plugins, "filesystem"));
        File.WriteAllText(Config, $"storage:\n  filesystem:\n    rootdirectory: {Data}\n");
    }

    /// <summary>The scratch folder.</summary>
    public string Work { get; }

    /// <summary>The filesystem driver's root.</summary>
    public string Data { get; }

    public string Plugins { get; }

    public string Config { get; }

    /// <summary>A fresh scratch folder with the filesystem driver configured under <see cref="Data"/>.</summary>
    public static RegstoreProcess CreateScratch(string purpose) =>
        new(Directory.CreateTempSubdirectory($"regstore-{purpose}-").FullName);

    /// <summary>Starts regstore with redirected stdin, stdout and stderr.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "regstore.dll"));
        foreach (var arg in args.Concat(["--config", Config, "--plugins", Plugins]))
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    /// <summary>Runs regstore to its end with an empty stdin; returns its exit code and both outputs.</summary>
    public async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var process = Start(args);
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }

    public void Dispose() => Directory.Delete(Work, recursive: true);

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
