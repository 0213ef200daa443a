using System.CommandLine;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// <c>regstore drivers [--describe] [--hash folder]</c>: the plugins found and the drivers they
/// declare, from metadata alone. <c>--describe</c> must run factory code to read each driver's
/// parameters, so it asks a short-lived child process per driver (<see cref="PluginProbe"/>),
/// bounded by the call limit: a plugin that exits, crashes, hangs or never lets its process end
/// is reported as such and the listing completes.
/// </summary>
internal static class DriversCommand
{
    public static Command Create()
    {
        var describe = new Option<bool>("--describe") { Description = "Also list each driver's parameters (name, type, default, required, secret); runs each plugin in a short-lived child process." };
        var hash = new Option<string?>("--hash") { Description = "Print the manifest digest of a plugin folder, the value plugins:allowedsha256 lists to trust it." };
        var command = new Command("drivers", "List the plugins found, the drivers they declare, and why any is refused — without running plugin code.") { describe, hash };
        command.SetAction((result, ct) => RegstoreCli.WithSessionAsync(result, async session =>
        {
            if (result.GetValue(hash) is { } folder)
            {
                return PrintHash(folder, session.Settings.Json);
            }

            // Listing reports what loading would refuse, so it checks every plugin's files too.
            var catalog = PluginCatalog.Scan(session.Host.Catalog.Directory, session.Host.Catalog.Options with { CheckFilesAtDiscovery = true });
            var descriptions = new Dictionary<(string Folder, string? Driver), PluginProbe.Description>();
            if (result.GetValue(describe))
            {
                foreach (var plugin in catalog.Plugins.Where(p => p.Error is null))
                {
                    foreach (var driver in plugin.Undeclared ? [null] : plugin.Drivers.Select(d => (DeclaredDriver?)d))
                    {
                        descriptions[(plugin.Folder, driver?.FactoryType)] = await PluginProbe.DescribeInChildAsync(session, plugin, driver, ct).ConfigureAwait(false);
                    }
                }
            }

            if (session.Settings.Json)
            {
                Output.Json(new
                {
                    pluginsDirectory = catalog.Directory,
                    plugins = catalog.Plugins.Select(p => new
                    {
                        folder = p.Folder,
                        status = Status(p),
                        bundled = p.Bundled,
                        drivers = p.ServedNames,
                        declared = p.Drivers.Select(d => new { name = d.Name, aliases = d.Aliases, factory = d.FactoryType }),
                        version = p.Version,
                        contract = p.ContractVersion?.ToString(2),
                        error = p.Error,
                        refused = p.Refused.Count == 0 ? null : p.Refused,
                        described = descriptions.Count == 0 ? null : descriptions.Where(d => d.Key.Folder == p.Folder).Select(d => d.Value),
                    }),
                });
            }
            else
            {
                Output.Stdout.WriteLine($"plugins: {catalog.Directory}");
                if (catalog.Plugins.Count == 0)
                {
                    Output.Stdout.WriteLine("  (no plugin folders)");
                }

                foreach (var plugin in catalog.Plugins)
                {
                    Print(plugin, descriptions.Where(d => d.Key.Folder == plugin.Folder).Select(d => d.Value));
                }
            }

            var problems = catalog.Plugins.Any(p => p.Error is not null || p.Refused.Count > 0) || descriptions.Values.Any(d => d.Error is not null);
            return problems ? RegstoreCli.ExitPlugin : RegstoreCli.ExitOk;
        }, ct));
        return command;
    }

    private static string Status(PluginEntry plugin) =>
        plugin.Error is not null ? "broken" : plugin.Undeclared ? "undeclared" : plugin.Refused.Count == plugin.Drivers.Count ? "refused" : "found";

    private static int PrintHash(string folder, bool json)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"{full}: no such plugin folder");
        }

        var digest = PluginTrust.ManifestDigest(full);
        if (json)
        {
            Output.Json(new { folder = full, sha256 = digest, files = PluginTrust.LoadableFiles(full).Select(f => Path.GetRelativePath(full, f)) });
        }
        else
        {
            Output.Stdout.WriteLine($"{digest}  {full}");
        }

        return RegstoreCli.ExitOk;
    }

    private static void Print(PluginEntry plugin, IEnumerable<PluginProbe.Description> descriptions)
    {
        var status = Status(plugin);
        var bundled = plugin.Bundled ? " (bundled)" : "";
        if (plugin.Error is not null)
        {
            Output.Stdout.WriteLine($"  {plugin.Name,-12} BROKEN   {plugin.Folder}");
            Output.Stdout.WriteLine($"               error: {plugin.Error}");
        }
        else if (plugin.Undeclared)
        {
            Output.Stdout.WriteLine($"  {plugin.Name,-12} undeclared  version {plugin.Version ?? "?"}  contract {plugin.ContractVersion?.ToString(2)}  {plugin.Folder}");
            Output.Stdout.WriteLine($"               note: declares no driver name in its metadata (built before contract 1.1): rebuild it, or pin a name to it with plugins:pin:<name>: {plugin.Name}");
        }
        else
        {
            Output.Stdout.WriteLine($"  {plugin.Name,-12} {status,-8} drivers: {string.Join(", ", plugin.ServedNames),-16} version {plugin.Version ?? "?"}  contract {plugin.ContractVersion?.ToString(2)}  {plugin.Folder}{bundled}");
        }

        foreach (var (name, why) in plugin.Refused)
        {
            Output.Stdout.WriteLine($"               refused '{name}': {why}");
        }

        foreach (var description in descriptions)
        {
            if (description.Error is not null)
            {
                Output.Stdout.WriteLine($"               describe {description.Driver ?? "(all)"}: FAILED: {description.Error}");
                continue;
            }

            foreach (var p in description.Parameters ?? [])
            {
                var flags = string.Join(" ", new[] { p.Required ? "required" : null, p.Secret ? "secret" : null }.OfType<string>());
                var allowed = p.Allowed is null ? "" : $" ({p.Allowed})";
                Output.Stdout.WriteLine($"               {description.Driver}.{p.Name,-28} {p.Type,-9} default {p.Default ?? "-",-20} {flags,-16} {p.Description}{allowed}");
            }

            if (description.Warning is not null)
            {
                Output.Stdout.WriteLine($"               note: {description.Warning}");
            }
        }
    }
}
