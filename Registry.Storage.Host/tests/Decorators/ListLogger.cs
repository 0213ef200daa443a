using Microsoft.Extensions.Logging;

namespace Registry.Storage.Host.Tests.Decorators;

/// <summary>An <see cref="ILogger"/> that keeps what was logged, formatted, for assertions.</summary>
internal sealed class ListLogger : ILogger, ILoggerProvider, ILoggerFactory
{
    public List<(LogLevel Level, string Message, Exception? Error)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Entries)
        {
            Entries.Add((logLevel, formatter(state, exception), exception));
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
