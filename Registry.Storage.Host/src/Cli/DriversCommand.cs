using System.CommandLine;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Cli;

/// <summary><c>regstore drivers [--describe]</c>: each plugin with its drivers, version, folder and load status or error.</summary>
internal static class DriversCommand
{
    public static Command Create()
    {
        var describe = new Option<bool>("--describe") { Description = "Also list each driver's parameters (name, type, default, required, secret)." };
        var command = new Command("drivers", "List the plugins found, the drivers they register, and why any failed to load.") { describe };
        command.SetAction((result, ct) => RegstoreCli.WithSessionAsync(result, session =>
        {
            var withParameters = result.GetValue(describe);
            if (session.Settings.Json)
            {
                Output.Json(new
                {
                    pluginsDirectory = session.Settings.PluginsDirectory,
                    plugins = session.Plugins.Select(p => new
                    {
                        folder = p.Folder,
                        status = p.Status.ToString().ToLowerInvariant(),
                        drivers = p.DriverNames,
                        version = p.Version,
                        contract = p.ContractVersion?.ToString(2),
                        error = p.Error,
                        parameters = withParameters ? p.Factories.SelectMany(f => f.Parameters) : null,
                    }),
                });
            }
            else
            {
                Console.WriteLine($"plugins: {session.Settings.PluginsDirectory}");
                if (session.Plugins.Count == 0)
                {
                    Console.WriteLine("  (no plugin folders)");
                }

                foreach (var plugin in session.Plugins)
                {
                    Print(plugin, withParameters);
                }
            }

            return Task.FromResult(session.Plugins.Any(p => p.Status == PluginStatus.Failed) ? RegstoreCli.ExitPlugin : RegstoreCli.ExitOk);
        }, ct));
        return command;
    }

    private static void Print(PluginLoadResult plugin, bool withParameters)
    {
        var name = Path.GetFileName(plugin.Folder);
        if (plugin.Status == PluginStatus.Loaded)
        {
            Console.WriteLine($"  {name,-12} loaded   drivers: {string.Join(", ", plugin.DriverNames),-16} version {plugin.Version ?? "?"}  contract {plugin.ContractVersion?.ToString(2)}  {plugin.Folder}");
        }
        else
        {
            Console.WriteLine($"  {name,-12} BROKEN   {plugin.Folder}");
        }

        if (plugin.Error is not null)
        {
            Console.WriteLine($"               error: {plugin.Error}");
        }

        if (!withParameters)
        {
            return;
        }

        foreach (var factory in plugin.Factories)
        {
            foreach (var p in factory.Parameters)
            {
                var flags = string.Join(" ", new[] { p.Required ? "required" : null, p.Secret ? "secret" : null }.OfType<string>());
                Console.WriteLine($"               {factory.Name}.{p.Name,-28} {p.Type,-9} default {p.Default ?? "-",-20} {flags,-16} {p.Description}");
            }
        }
    }
}
