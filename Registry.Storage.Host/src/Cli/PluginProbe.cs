using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// Runs one plugin's factory code in a short-lived child process (<c>regstore plugin-probe</c>,
/// hidden): an AssemblyLoadContext is no sandbox, so what must run every plugin's code —
/// <c>drivers --describe</c> — runs each in a process of its own that may exit, crash, hang or
/// linger without touching the command.
/// </summary>
internal static class PluginProbe
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>One driver's parameters, or why they could not be read.</summary>
    internal sealed record Description(string? Driver, IReadOnlyList<DriverParameterInfo>? Parameters, string? Error, string? Warning = null);

    /// <summary>The hidden child command: loads one plugin driver as a selected plugin is loaded and prints its parameters as JSON.</summary>
    public static Command CreateChildCommand()
    {
        var folder = new Argument<string>("folder");
        var factoryType = new Argument<string?>("factory-type") { DefaultValueFactory = _ => null };
        var timeout = new Option<double>("--timeout-seconds") { DefaultValueFactory = _ => PluginCatalogOptions.DefaultCallTimeout.TotalSeconds };
        var command = new Command("plugin-probe", "(internal) describe one plugin driver in this process") { folder, factoryType, timeout };
        command.Hidden = true;
        command.SetAction(async (result, ct) =>
        {
            var options = new PluginCatalogOptions { CallTimeout = TimeSpan.FromSeconds(result.GetValue(timeout)), Trust = PluginTrustOptions.Default with { RequireSafePermissions = false } };
            var entry = PluginCatalog.Inspect(result.GetValue(folder)!, options.Trust);
            var activator = new PluginActivator(options);
            Description description;
            try
            {
                var type = result.GetValue(factoryType);
                var factories = type is null
                    ? await activator.ActivateUndeclaredAsync(entry, ct).ConfigureAwait(false)
                    : [await activator.ActivateAsync(entry, entry.Drivers.Single(d => d.FactoryType == type), ct).ConfigureAwait(false)];
                description = new Description(string.Join(", ", factories.Select(f => f.Name)), factories.SelectMany(f => f.Parameters).ToArray(), null);
            }
            catch (PluginLoadException ex)
            {
                description = new Description(result.GetValue(factoryType), null, ex.Problem);
            }

            await Output.Stdout.WriteLineAsync(JsonSerializer.Serialize(description, Json)).ConfigureAwait(false);
            return description.Error is null ? RegstoreCli.ExitOk : RegstoreCli.ExitPlugin;
        });
        return command;
    }

    /// <summary>Describes <paramref name="driver"/> of <paramref name="plugin"/> (or every factory of an undeclared plugin) in a child process.</summary>
    public static async Task<Description> DescribeInChildAsync(HostSession session, PluginEntry plugin, DeclaredDriver? driver, CancellationToken cancellationToken)
    {
        var name = driver?.Name;
        var limit = session.Host.Catalog.Options.CallTimeout;
        // Trust is checked here, in the parent, with the configuration's rules; the child only loads.
        if (PluginTrust.CheckPlugin(plugin.Folder, session.Host.Catalog.Options.Trust) is { } distrust)
        {
            return new Description(name, null, distrust);
        }

        var info = StartInfo();
        info.ArgumentList.Add("plugin-probe");
        info.ArgumentList.Add(plugin.Folder);
        if (driver is not null)
        {
            info.ArgumentList.Add(driver.FactoryType);
        }

        info.ArgumentList.Add("--timeout-seconds");
        info.ArgumentList.Add(limit.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

        // The child bounds each plugin call by the limit; loading the runtime and the plugin adds a little.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit * 3 + TimeSpan.FromSeconds(5));
        var exited = true;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            exited = false;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        var described = line is null ? null : TryParse(line) is { } parsed ? parsed with { Driver = name ?? parsed.Driver } : null;
        if (described is not null && !exited)
        {
            return described with { Warning = "the plugin kept its process alive after it answered (a foreground thread?); the describing process was killed" };
        }

        if (described is not null)
        {
            return described;
        }

        var tail = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Length > 0);
        var why = !exited
            ? $"the plugin did not answer within {(limit * 3 + TimeSpan.FromSeconds(5)).TotalSeconds:0} s (it hangs); the describing process was killed"
            : process.ExitCode switch
            {
                134 => "the plugin crashed the describing process (SIGABRT: an unhandled exception on a plugin thread, or a stack overflow)",
                > 128 and < 160 => $"the plugin crashed the describing process (signal {process.ExitCode - 128})",
                _ => $"the plugin ended the describing process with exit code {process.ExitCode} before it answered",
            };
        return new Description(name, null, tail is null ? why : $"{why}; its last words: {Truncate(tail)}");
    }

    private static Description? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<Description>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    // The same host program, whether started as the apphost or through `dotnet regstore.dll`.
    private static ProcessStartInfo StartInfo()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(process) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        return info;
    }
}
