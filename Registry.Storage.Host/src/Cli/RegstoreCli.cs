using System.CommandLine;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Host.Cli;

/// <summary>The <c>regstore</c> command line: global options, the commands, and one place that turns failures into exit codes.</summary>
public static class RegstoreCli
{
    /// <summary>Success.</summary>
    public const int ExitOk = ExitCodes.Ok;

    /// <summary>The operation failed (not found, backend error); retrying may help for transient errors.</summary>
    public const int ExitFailed = ExitCodes.Failed;

    /// <summary>Bad usage or configuration: fix the command or the config file.</summary>
    public const int ExitUsage = ExitCodes.Usage;

    /// <summary>A plugin could not be loaded, or conformance tests failed.</summary>
    public const int ExitPlugin = ExitCodes.Plugin;

    /// <summary>
    /// How long a command may take to wind down after Ctrl-C or SIGTERM cancelled its token
    /// before System.CommandLine forces exit code 130. Its 2 s default is too short for
    /// migrate to abort the uploads in flight on a busy object store: the process would exit
    /// mid-cleanup, leaving incomplete multipart uploads behind, without its summary and
    /// without the documented retryable exit code 1.
    /// </summary>
    internal static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(30);

    internal static readonly Option<string?> ConfigOption = new("--config", "-c")
    {
        Description = $"Configuration file (YAML or JSON, distribution's storage: section). Default: ./{Hosting.Configuration.HostDefaults.ConfigFileName} if present, else the filesystem driver under ./data.",
        Recursive = true,
    };

    internal static readonly Option<string?> PluginsOption = new("--plugins")
    {
        Description = "Plugins directory (one folder per driver). Default: plugins/ beside the regstore executable.",
        Recursive = true,
    };

    internal static readonly Option<string> OutputOption = new("--output", "-o")
    {
        Description = "Output format: text or json.",
        Recursive = true,
        DefaultValueFactory = _ => "text",
    };

    internal static readonly Option<string[]> SetOption = new("--set")
    {
        Description = "Override one configuration value, as key=value with ':' between sections (repeatable), e.g. --set storage:filesystem:rootdirectory=/srv/registry.",
        Recursive = true,
        Validators =
        {
            result =>
            {
                foreach (var token in result.Tokens.Select(t => t.Value).Where(v => v.IndexOf('=', StringComparison.Ordinal) <= 0))
                {
                    result.AddError($"--set expects key=value such as storage:filesystem:rootdirectory=/srv/registry, got '{token}'");
                }
            },
        },
    };

    internal static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Log plugin loading and driver activity to stderr.",
        Recursive = true,
    };

    /// <summary>Parses and runs <paramref name="args"/>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("regstore — container-registry storage drivers as plugins: inspect plugins, work with the configured driver, run conformance.");
        root.Options.Add(ConfigOption);
        root.Options.Add(PluginsOption);
        root.Options.Add(OutputOption);
        root.Options.Add(VerboseOption);
        root.Options.Add(SetOption);
        OutputOption.AcceptOnlyFromAmong("text", "json");

        root.Subcommands.Add(DriversCommand.Create());
        root.Subcommands.Add(PluginProbe.CreateChildCommand());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(GcCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(UploadsCommand.Create());
        foreach (var command in FileCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(RunnerDelegation.Create("conformance", "Run the storage-driver conformance suite against a plugin folder (runs regstore-conformance). Example: regstore conformance --plugin plugins/s3 -p bucket=test"));
        root.Subcommands.Add(MigrateCommand.CreateMigrate());
        root.Subcommands.Add(MigrateCommand.CreateCopy());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(RunnerDelegation.Create("bench", "Run the driver benchmarks against a plugin folder (runs regstore-conformance). Example: regstore bench --plugin plugins/filesystem --only Stream1GB"));
        // Storage paths such as /h or /? are arguments, never help: only --help, -h and -? ask for it.
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>().ToArray())
        {
            root.Options.Remove(help);
        }

        root.Options.Add(new System.CommandLine.Help.HelpOption("--help", "-h", "-?"));

        // Nor is @file a response file: it may be a local file name given to put.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync("regstore: " + error.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("regstore: see regstore --help, or regstore <command> --help").ConfigureAwait(false);
            return ExitUsage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationGrace }).ConfigureAwait(false);
    }

    internal static GlobalSettings Settings(ParseResult result) => new(
        result.GetValue(ConfigOption),
        result.GetValue(PluginsOption) is { } plugins ? Path.GetFullPath(plugins) : null,
        string.Equals(result.GetValue(OutputOption), "json", StringComparison.OrdinalIgnoreCase),
        result.GetValue(VerboseOption))
    {
        // The command-line configuration provider's own syntax: --storage:filesystem:rootdirectory=/x.
        Overrides = [.. (result.GetValue(SetOption) ?? []).Select(pair => "--" + pair)],
    };

    /// <summary>Runs a command body with the host loaded, mapping failures to messages and exit codes.</summary>
    internal static Task<int> WithSessionAsync(ParseResult result, Func<HostSession, Task<int>> body, CancellationToken cancellationToken) =>
        WithSessionAsync(result, null, body, cancellationToken);

    /// <summary>As <see cref="WithSessionAsync(ParseResult, Func{HostSession, Task{int}}, CancellationToken)"/>, with a configuration file given positionally (<c>serve config.yml</c>).</summary>
    internal static async Task<int> WithSessionAsync(ParseResult result, string? configFile, Func<HostSession, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            var settings = Settings(result);
            using var session = HostSession.Open(configFile is null ? settings : settings with { ConfigFile = configFile });
            return await body(session).ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex) is { } failure)
        {
            // Under --output json a failure is JSON too (on stderr, so stdout stays the command's data).
            await Console.Error.WriteLineAsync(result.GetValue(OutputOption) == "json"
                ? System.Text.Json.JsonSerializer.Serialize(new { error = failure.Message, exitCode = failure.ExitCode })
                : "regstore: " + failure.Message).ConfigureAwait(false);
            return failure.ExitCode;
        }
    }

    private static (string Message, int ExitCode)? Describe(Exception ex) => ex switch
    {
        OperationCanceledException => ("cancelled", ExitFailed),
        PluginLoadException => (ex.Message, ExitPlugin),
        InvalidParameterException or InvalidStorageDriverException or InvalidPathException or InvalidOffsetException => (ex.Message, ExitUsage),
        StorageDriverException { IsTransient: true } => (ex.Message + " (transient: retrying may succeed)", ExitFailed),
        StorageDriverException => (ex.Message, ExitFailed),
        InvalidDataException { InnerException: { } inner } => ($"{ex.Message} {inner.Message}", ExitUsage),
        FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or FormatException or InvalidDataException => (ex.Message, ExitUsage),
        IOException or UnauthorizedAccessException => (ex.Message, ExitFailed),

        // Whatever else escapes (a plugin's own exception type) is reported, never as a stack trace.
        _ => ($"unexpected {ex.GetType().Name}: {ex.Message}", ExitFailed),
    };
}
