using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// One line per log entry on stderr, written synchronously: what a short-lived command needs.
/// Microsoft.Extensions.Logging.Console costs ~25 ms of a command's start-up (its options
/// monitor, formatter registry and background queue thread) — measured in docs/benchmarks.md,
/// where start-up is a goal; the server's request logs go through the same provider.
/// </summary>
internal sealed class StderrLoggerProvider : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new StderrLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var line = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {Level(logLevel)} {category}: {formatter(state, exception)}");
            if (exception is not null)
            {
                line += $" ({exception.GetType().Name}: {exception.Message})";
            }

            lock (Gate)
            {
                Console.Error.WriteLine(line);
            }
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
