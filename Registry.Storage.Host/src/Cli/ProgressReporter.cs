using System.Globalization;
using System.Text.Json;

using Registry.Storage.Hosting.Migration;

namespace Registry.Storage.Host.Cli;

/// <summary>
/// Shows a run's progress while it goes: a one-line bar with bytes/s and ETA redrawn on
/// stderr when stderr is a terminal, or JSON lines on stdout with <c>--output json</c>;
/// nothing when neither applies (a CI log gets the summary only).
/// </summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly Func<MigrationProgress> _snapshot;
    private readonly bool _json;
    private readonly bool _terminal;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProgressReporter(Func<MigrationProgress> snapshot, bool json, bool hidden = false)
    {
        _snapshot = snapshot;
        _json = json;
        _terminal = !json && !hidden && !Console.IsErrorRedirected;
        _loop = _json || _terminal ? LoopAsync(json ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(250)) : Task.CompletedTask;
    }

    public static string Line(MigrationProgress p)
    {
        var total = p.WalkComplete ? Output.Size(p.BytesFound) : "≥" + Output.Size(p.BytesFound);
        var percent = p.WalkComplete && p.BytesFound > 0 ? string.Create(CultureInfo.InvariantCulture, $" {100.0 * p.BytesDone / p.BytesFound,5:0.0}%") : "";
        var eta = p.Eta is { } e ? $" ETA {(int)e.TotalHours}:{e.Minutes:00}:{e.Seconds:00}" : "";
        // One file (put, cat): bytes only.
        var files = p.FilesFound == 1 && p.FilesDone == 0 ? "" : $"{p.FilesDone}/{(p.WalkComplete ? "" : "≥")}{p.FilesFound} files, ";
        return string.Create(CultureInfo.InvariantCulture,
            $"{files}{Output.Size(p.BytesDone)}/{total}{percent}, {Output.Size((long)p.BytesPerSecond)}/s{eta}");
    }

    public static string Json(MigrationProgress p) => JsonSerializer.Serialize(new
    {
        type = "progress",
        filesDone = p.FilesDone,
        filesFound = p.FilesFound,
        bytesDone = p.BytesDone,
        bytesFound = p.BytesFound,
        totalsFinal = p.WalkComplete,
        bytesTransferred = p.BytesTransferred,
        bytesPerSecond = Math.Round(p.BytesPerSecond),
        etaSeconds = p.Eta is { } eta ? Math.Round(eta.TotalSeconds) : (double?)null,
        elapsedSeconds = Math.Round(p.Elapsed.TotalSeconds, 1),
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_terminal)
        {
            // The final state stays on screen (as rclone and curl leave theirs): a run shorter than one
            // redraw still shows how much moved and how fast.
            await Console.Error.WriteLineAsync("\r\u001b[2K" + Line(_snapshot())).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var p = _snapshot();
                if (_json)
                {
                    await Output.Stdout.WriteLineAsync(Json(p)).ConfigureAwait(false);
                }
                else
                {
                    await Console.Error.WriteAsync("\r\u001b[2K" + Line(p)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped at the end of the run.
        }
    }
}
