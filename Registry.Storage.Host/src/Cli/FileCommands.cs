using System.CommandLine;
using System.Globalization;

namespace Registry.Storage.Host.Cli;

/// <summary>File operations on the configured driver: ls, stat, cat, put, rm, mv, walk, du, url.</summary>
internal static class FileCommands
{
    public static IEnumerable<Command> Create() => [Ls(), Stat(), Cat(), Put(), Rm(), Mv(), Walk(), Du(), Url()];

    private static Argument<string> PathArgument(string name = "path", string? defaultValue = null)
    {
        var argument = new Argument<string>(name) { Description = "A storage path such as /docker/registry/v2." };
        if (defaultValue is not null)
        {
            argument.DefaultValueFactory = _ => defaultValue;
        }

        return argument;
    }

    private static Command Ls()
    {
        var path = PathArgument(defaultValue: "/");
        var longFormat = new Option<bool>("-l") { Description = "Show size and modification time." };
        var recursive = new Option<bool>("-R") { Description = "List every entry below the path (a walk)." };
        var command = new Command("ls", "List a directory. Example: regstore ls -l /docker/registry/v2/repositories") { path, longFormat, recursive };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            var target = result.GetValue(path)!;
            var entries = new List<StorageFileInfo>();
            if (target != StoragePath.Root && await driver.StatAsync(target, ct).ConfigureAwait(false) is { IsDirectory: false } file)
            {
                entries.Add(file); // as ls does: a file lists as itself
            }
            else if (result.GetValue(recursive))
            {
                entries.AddRange(await driver.WalkToListAsync(target, cancellationToken: ct).ConfigureAwait(false));
            }
            else
            {
                foreach (var child in await driver.ListSortedAsync(target, ct).ConfigureAwait(false))
                {
                    entries.Add(result.GetValue(longFormat) || session.Settings.Json
                        ? await driver.StatAsync(child, ct).ConfigureAwait(false)
                        : new StorageFileInfo(child, 0, default, false));
                }
            }

            if (session.Settings.Json)
            {
                // One shape for listings and walks: JSON Lines, one entry per line.
                foreach (var entry in entries)
                {
                    Output.Json(Output.Entry(entry));
                }
            }
            else
            {
                foreach (var entry in entries)
                {
                    Output.Stdout.WriteLine(result.GetValue(longFormat)
                        ? $"{(entry.IsDirectory ? "d" : "-")} {entry.Size,14} {Output.Time(entry.ModTime)}  {entry.Path}{(entry.IsDirectory ? "/" : "")}"
                        : entry.Path);
                }
            }

            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Stat()
    {
        var path = PathArgument();
        var command = new Command("stat", "Show size, modification time and kind of a path.") { path };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            var info = await driver.StatAsync(result.GetValue(path)!, ct).ConfigureAwait(false);
            if (session.Settings.Json)
            {
                Output.Json(Output.Entry(info));
            }
            else
            {
                Output.Stdout.WriteLine($"path:     {info.Path}");
                Output.Stdout.WriteLine($"kind:     {(info.IsDirectory ? "directory" : "file")}");
                Output.Stdout.WriteLine($"size:     {info.Size} ({Output.Size(info.Size)})");
                Output.Stdout.WriteLine($"modified: {Output.Time(info.ModTime)}");
            }

            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Cat()
    {
        var path = PathArgument();
        var offset = new Option<long>("--offset") { Description = "Start reading at this byte offset.", CustomParser = WholeNumbers.AtLeast(0L) };
        var command = new Command("cat", "Stream a file to stdout.") { path, offset };
        command.SetAction((result, ct) => WithDriverAsync(result, async (_, driver) =>
        {
            var reader = await driver.ReaderAsync(result.GetValue(path)!, result.GetValue(offset), ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var stdout = Output.StdoutStream;
                var counted = new CountingStream(reader);
                // A progress line only when stdout goes elsewhere than the terminal the line is drawn on;
                // the reader does not know its length, so a Stat gives the percentage and ETA.
                var show = Output.StdoutRedirected && !Console.IsErrorRedirected;
                long? total = show ? Math.Max(0, (await driver.StatAsync(result.GetValue(path)!, ct).ConfigureAwait(false)).Size - result.GetValue(offset)) : null;
                await using (TransferProgress(counted, show, total).ConfigureAwait(false))
                {
                    await counted.CopyToAsync(stdout, 1 << 20, ct).ConfigureAwait(false);
                }

                await stdout.FlushAsync(ct).ConfigureAwait(false);
            }

            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Put()
    {
        var path = PathArgument();
        var file = new Argument<string>("file") { Description = "The local file to upload, or - for stdin.", DefaultValueFactory = _ => "-" };
        var command = new Command("put", "Upload a local file (or stdin) to a path, streamed; visible only once complete. Example: regstore put /backups/a.tar a.tar") { path, file };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            var source = result.GetValue(file)!;
            if (source != "-" && Directory.Exists(source))
            {
                await Console.Error.WriteLineAsync($"regstore: {Path.GetFullPath(source)} is a directory: put uploads one file (use migrate or copy for trees)").ConfigureAwait(false);
                return RegstoreCli.ExitUsage;
            }

            var input = source == "-" ? Console.OpenStandardInput() : File.OpenRead(source);
            await using (input.ConfigureAwait(false))
            {
                var target = result.GetValue(path)!;
                // Reading stdin does not observe the token: without giving up on it, Ctrl-C would wait for the next byte.
                var counted = new CountingStream(input, abandonReadsOnCancel: source == "-");
                try
                {
                    long size;
                    await using (TransferProgress(counted, show: !session.Settings.Json).ConfigureAwait(false))
                    {
                        size = await driver.WriteStreamAsync(target, counted, cancellationToken: ct).ConfigureAwait(false);
                    }

                    Report(session, new { path = target, size }, $"{target}: {size} bytes written");
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Say what was left and where to find it: the writer was closed, not committed, so the
                    // driver keeps the bytes as an uncommitted upload, which ls and du do not show.
                    await Console.Error.WriteLineAsync(
                        $"regstore: put interrupted: nothing is visible at {target}; up to {counted.BytesRead} bytes stay with the {driver.Name} driver as an uncommitted upload "
                        + $"(the next put to {target} replaces it): `regstore uploads ls` shows it, `regstore uploads purge --older-than <duration>` removes it").ConfigureAwait(false);
                    return RegstoreCli.ExitFailed;
                }
            }

            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Rm()
    {
        var path = PathArgument();
        var recursive = new Option<bool>("-r") { Description = "Delete a directory and everything below it." };
        var command = new Command("rm", "Delete a file (or, with -r, a directory tree).") { path, recursive };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            var target = result.GetValue(path)!;
            var info = await driver.StatAsync(target, ct).ConfigureAwait(false);
            if (info.IsDirectory && !result.GetValue(recursive))
            {
                await Console.Error.WriteLineAsync($"regstore: {target} is a directory: use rm -r to delete it and everything below").ConfigureAwait(false);
                return RegstoreCli.ExitUsage;
            }

            await driver.DeleteAsync(target, ct).ConfigureAwait(false);
            Report(session, new { deleted = target }, $"deleted {target}");
            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Mv()
    {
        var source = PathArgument("source");
        var destination = PathArgument("destination");
        var command = new Command("mv", "Move a file; the destination is replaced.") { source, destination };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            var from = result.GetValue(source)!;
            var to = result.GetValue(destination)!;
            if (to.StartsWith(from.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync($"regstore: cannot move {from} to {to}: a path cannot move below itself").ConfigureAwait(false);
                return RegstoreCli.ExitUsage;
            }

            await driver.MoveAsync(from, to, ct).ConfigureAwait(false);
            Report(session, new { moved = result.GetValue(source), to = result.GetValue(destination) }, $"moved {result.GetValue(source)} to {result.GetValue(destination)}");
            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Walk()
    {
        var path = PathArgument(defaultValue: "/");
        var startAfter = new Option<string?>("--start-after") { Description = "Resume after this path (walk order)." };
        var command = new Command("walk", "Print every file and directory below a path in walk order.") { path, startAfter };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            await driver.WalkAsync(result.GetValue(path)!, (entry, _) =>
            {
                if (session.Settings.Json)
                {
                    Output.Json(Output.Entry(entry));
                }
                else
                {
                    Output.Stdout.WriteLine(entry.IsDirectory ? entry.Path + "/" : string.Create(CultureInfo.InvariantCulture, $"{entry.Path}  {entry.Size}"));
                }

                return ValueTask.FromResult(WalkDecision.Continue);
            }, new WalkOptions { StartAfterHint = result.GetValue(startAfter) }, ct).ConfigureAwait(false);
            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Du()
    {
        var path = PathArgument(defaultValue: "/");
        var command = new Command("du", "Total bytes and number of files below a path.") { path };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            long bytes = 0, files = 0;
            var target = result.GetValue(path)!;
            if (target != StoragePath.Root && await driver.StatAsync(target, ct).ConfigureAwait(false) is { IsDirectory: false } file)
            {
                Report(session, new { path = target, bytes = file.Size, files = 1 }, $"{file.Size} bytes ({Output.Size(file.Size)}) in 1 file: {target} is a file");
                return RegstoreCli.ExitOk;
            }

            await driver.WalkAsync(result.GetValue(path)!, (entry, _) =>
            {
                if (!entry.IsDirectory)
                {
                    bytes += entry.Size;
                    files++;
                }

                return ValueTask.FromResult(WalkDecision.Continue);
            }, null, ct).ConfigureAwait(false);
            Report(session, new { path = result.GetValue(path), bytes, files }, $"{bytes} bytes ({Output.Size(bytes)}) in {files} files under {result.GetValue(path)}");
            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static Command Url()
    {
        var path = PathArgument();
        var method = new Option<string>("--method") { Description = "GET or HEAD.", DefaultValueFactory = _ => "GET" };
        method.AcceptOnlyFromAmong("GET", "HEAD");
        var command = new Command("url", "Print a URL a client can fetch the file from directly (presigned, SAS, TempURL), if the driver can give one.") { path, method };
        command.SetAction((result, ct) => WithDriverAsync(result, async (session, driver) =>
        {
            var url = await driver.RedirectUrlAsync(result.GetValue(path)!, new RedirectOptions(result.GetValue(method)!), ct).ConfigureAwait(false);
            if (url is null)
            {
                await Console.Error.WriteLineAsync($"regstore: the {driver.Name} driver gives no redirect URLs").ConfigureAwait(false);
                return RegstoreCli.ExitFailed;
            }

            Report(session, new { url = url.ToString() }, url.ToString());
            return RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    // Bytes, rate, percentage and ETA on stderr while a large file streams, when stderr is a terminal.
    private static ProgressReporter TransferProgress(CountingStream stream, bool show, long? knownTotal = null)
    {
        var total = knownTotal ?? stream.KnownLength();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return new ProgressReporter(
            () => new Hosting.Migration.MigrationProgress(1, total ?? stream.BytesRead, total is not null, 0, stream.BytesRead, stream.BytesRead, clock.Elapsed),
            json: false,
            hidden: !show);
    }

    private static void Report(HostSession session, object json, string text)
    {
        if (session.Settings.Json)
        {
            Output.Json(json);
        }
        else
        {
            Output.Stdout.WriteLine(text);
        }
    }

    private static Task<int> WithDriverAsync(ParseResult result, Func<HostSession, IStorageDriver, Task<int>> body, CancellationToken cancellationToken) =>
        RegstoreCli.WithSessionAsync(result, async session =>
        {
            var configured = await session.CreateConfiguredDriverAsync(cancellationToken).ConfigureAwait(false);
            await using (configured.ConfigureAwait(false))
            {
                return await body(session, configured.Driver).ConfigureAwait(false);
            }
        }, cancellationToken);
}
