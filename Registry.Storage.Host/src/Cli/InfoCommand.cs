using System.CommandLine;

namespace Registry.Storage.Host.Cli;

/// <summary><c>regstore info</c>: the configured driver, its parameters (secrets masked) and a Stat of <c>/</c>.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the configured driver, its parameters (secrets masked) and whether its root answers.");
        command.SetAction((result, ct) => RegstoreCli.WithSessionAsync(result, async session =>
        {
            await using var configured = await session.CreateConfiguredDriverAsync(ct).ConfigureAwait(false);
            var factory = await session.Host.Registry.GetFactoryAsync(configured.Driver.Name, ct).ConfigureAwait(false);
            // Shown under the names the driver declares (an environment variable gives ROOTDIRECTORY).
            var declared = factory.Parameters.ToDictionary(p => p.Name, p => p.Name, StringComparer.OrdinalIgnoreCase);
            var parameters = configured.Parameters.Keys.Order(StringComparer.Ordinal)
                .ToDictionary(k => declared.GetValueOrDefault(k, k), configured.Parameters.Show, StringComparer.Ordinal);
            string rootStatus;
            var exit = RegstoreCli.ExitOk;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                // Stat of / alone proves nothing on an object store (a root always exists):
                // listing it makes the backend answer a real request.
                await using (var children = configured.Driver.ListAsync(StoragePath.Root, ct).GetAsyncEnumerator(ct))
                {
                    _ = await children.MoveNextAsync().ConfigureAwait(false);
                }

                var root = await configured.Driver.StatAsync(StoragePath.Root, ct).ConfigureAwait(false);
                rootStatus = (root.IsDirectory ? "ok (directory)" : "ok") + $", the backend answered in {clock.ElapsedMilliseconds} ms";
            }
            catch (PathNotFoundException)
            {
                rootStatus = $"ok (empty), the backend answered in {clock.ElapsedMilliseconds} ms";
            }
            catch (StorageDriverException ex)
            {
                rootStatus = $"FAILED after {clock.ElapsedMilliseconds} ms: " + ex.Message;
                exit = RegstoreCli.ExitFailed;
            }

            var capabilities = configured.Driver.Capabilities;
            if (session.Settings.Json)
            {
                Output.Json(new { driver = configured.Driver.Name, source = configured.Source, parameters, capabilities, root = rootStatus });
            }
            else
            {
                Output.Stdout.WriteLine($"driver:       {configured.Driver.Name}");
                Output.Stdout.WriteLine($"config:       {configured.Source}");
                Output.Stdout.WriteLine("parameters:");
                foreach (var (key, value) in parameters)
                {
                    Output.Stdout.WriteLine($"  {key,-28} {value}");
                }

                Output.Stdout.WriteLine($"capabilities: redirect={capabilities.Redirect} resumable={capabilities.ResumableWrites} nativeWalk={capabilities.NativeWalk} serverSideMove={capabilities.ServerSideMove} batchDelete={capabilities.BatchDeleteMax} listUploads={capabilities.ListUploads}");
                Output.Stdout.WriteLine($"list /:       {rootStatus}");
            }

            return exit;
        }, ct));
        return command;
    }
}
