using Microsoft.Extensions.Logging;

namespace Registry.Storage.Hosting.Decorators;

/// <summary>The decorators' log messages, source-generated so disabled levels cost nothing. Names and paths only, never values.</summary>
internal static partial class DecoratorLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Driver} {Operation} {Path} took {ElapsedMs:0.0} ms")]
    public static partial void Completed(ILogger logger, string driver, string operation, string path, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Driver} {Operation} {Path} cancelled")]
    public static partial void Cancelled(ILogger logger, string driver, string operation, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Driver} {Operation} {Path}: not found")]
    public static partial void NotFound(ILogger logger, string driver, string operation, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Driver} {Operation} {Path} failed after {ElapsedMs:0.0} ms: {ErrorType}")]
    public static partial void Failed(ILogger logger, Exception error, string driver, string operation, string path, double elapsedMs, string errorType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Driver} Writer {Path}: {Outcome}")]
    public static partial void WriterFinished(ILogger logger, string driver, string path, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Driver} Writer {Path}: {Outcome} failed: {ErrorType}")]
    public static partial void WriterFailed(ILogger logger, Exception error, string driver, string path, string outcome, string errorType);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Driver}: retry {Attempt} in {DelayMs:0} ms after a transient failure: {Reason}")]
    public static partial void Retrying(ILogger logger, string driver, int attempt, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the cloudfront middleware supports only the s3 driver, not {Driver}; using the driver's own URL")]
    public static partial void CloudFrontUnsupported(ILogger logger, string driver);
}
