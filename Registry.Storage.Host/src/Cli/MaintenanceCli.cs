using System.CommandLine;
using Registry.Server.Maintenance;

namespace Registry.Storage.Host.Cli;

/// <summary>What gc, verify and uploads share: the configured driver, duration options, progress on a terminal.</summary>
internal static class MaintenanceCli
{
    /// <summary>Runs <paramref name="body"/> with the configured driver, disposed afterwards.</summary>
    public static Task<int> WithDriverAsync(ParseResult result, Func<HostSession, IStorageDriver, Task<int>> body, CancellationToken cancellationToken) =>
        RegstoreCli.WithSessionAsync(result, async session =>
        {
            var configured = await session.CreateConfiguredDriverAsync(cancellationToken).ConfigureAwait(false);
            await using (configured.ConfigureAwait(false))
            {
                return await body(session, configured.Driver).ConfigureAwait(false);
            }
        }, cancellationToken);

    /// <summary>An option taking a Go duration (<c>168h</c>, <c>30m</c>, <c>0</c>).</summary>
    public static Option<TimeSpan> DurationOption(string name, string description, TimeSpan? defaultValue)
    {
        var option = new Option<TimeSpan>(name)
        {
            Description = description,
            CustomParser = argument =>
            {
                var text = argument.Tokens.Count > 0 ? argument.Tokens[0].Value : string.Empty;
                if (GoDuration.TryParse(text, out var duration) && duration >= TimeSpan.Zero)
                {
                    return duration;
                }

                argument.AddError($"{name}: '{text}' is not a duration such as 168h, 30m or 0");
                return default;
            },
        };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }
        else
        {
            option.Required = true;
        }

        return option;
    }

    /// <summary>Progress as one redrawn line on stderr when it is a terminal and the output is text; otherwise nothing.</summary>
    public static IProgress<MaintenanceProgress>? TerminalProgress(HostSession session, string command)
    {
        if (session.Settings.Json || Console.IsErrorRedirected)
        {
            return null;
        }

        var gate = new object();
        return new Progress<MaintenanceProgress>(p =>
        {
            lock (gate)
            {
                var count = p.Total is { } total ? $" {p.Done}/{total}" : p.Done > 0 ? $" {p.Done}" : "";
                Console.Error.Write($"\r\u001b[Kregstore {command}: {p.Phase}{count}");
            }
        });
    }

    /// <summary>Ends the progress line before the result is written.</summary>
    public static void EndProgress(IProgress<MaintenanceProgress>? progress)
    {
        if (progress is not null)
        {
            Console.Error.Write("\r\u001b[K");
        }
    }
}
