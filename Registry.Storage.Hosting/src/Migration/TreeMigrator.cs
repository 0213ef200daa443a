using System.Threading.Channels;

namespace Registry.Storage.Hosting.Migration;

/// <summary>
/// Copies (or compares) a tree from one driver to another through the drivers themselves —
/// never a raw bucket copy, so layout differences between backends cannot break pulls
/// later. A walk of the source feeds <c>Checkers</c> workers that decide per file (missing,
/// equal, differing), which feed <c>Transfers</c> workers that stream and verify. Bounded
/// channels between the stages keep memory flat however large the tree.
/// </summary>
/// <remarks>
/// Resumable by construction: files are committed only after verification, so a re-run
/// after an interruption finds each file either complete (skipped) or absent (copied).
/// Immutable by default: a destination file that differs is reported, not replaced, unless
/// <see cref="MigrationOptions.Overwrite"/>. The source must not change while it runs.
/// </remarks>
public sealed class TreeMigrator
{
    private readonly IStorageDriver _source;
    private readonly IStorageDriver _destination;
    private readonly MigrationOptions _options;
    private readonly PathFilter _filter;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<FileOutcome, long> _files = [];
    private readonly Dictionary<FileOutcome, long> _bytes = [];
    private readonly List<FileResult> _problems = [];
    private long _filesFound;
    private long _bytesFound;
    private long _filesDone;
    private long _bytesDone;
    private long _transferred;
    private bool _walkComplete;
    private long _started;

    /// <summary>Prepares a run from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public TreeMigrator(IStorageDriver source, IStorageDriver destination, MigrationOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Transfers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Checkers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferSize, 4096);
        StoragePath.Validate("migrate", options.Prefix, allowRoot: true);
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _destination = destination ?? throw new ArgumentNullException(nameof(destination));
        _options = options;
        _filter = new PathFilter(options.Include, options.Exclude);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Called for every file as it is decided (from worker threads).</summary>
    public event Action<FileResult>? FileCompleted;

    /// <summary>Where the run stands now.</summary>
    public MigrationProgress Progress => new(
        Interlocked.Read(ref _filesFound), Interlocked.Read(ref _bytesFound), Volatile.Read(ref _walkComplete),
        Interlocked.Read(ref _filesDone), Interlocked.Read(ref _bytesDone), Interlocked.Read(ref _transferred),
        _started == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_started));

    /// <summary>Copies every file under the prefix that is not already equal at the destination.</summary>
    public Task<MigrationSummary> MigrateAsync(CancellationToken cancellationToken) => RunAsync(compareOnly: false, cancellationToken);

    /// <summary>Compares the trees without writing: missing, differing and extra files.</summary>
    public Task<MigrationSummary> CheckAsync(CancellationToken cancellationToken) => RunAsync(compareOnly: true, cancellationToken);

    private async Task<MigrationSummary> RunAsync(bool compareOnly, CancellationToken cancellationToken)
    {
        _started = _time.GetTimestamp();
        var limiter = new BandwidthLimiter(_options.BandwidthLimit, _time);
        var copier = new FileCopier(_source, _destination, _options, limiter, n => Interlocked.Add(ref _transferred, n));
        var toCopy = Channel.CreateBounded<StorageFileInfo>(new BoundedChannelOptions(_options.Transfers * 4) { SingleWriter = false });
        var interrupted = false;
        try
        {
            var checking = Pipeline.RunAsync<StorageFileInfo>(
                (writer, ct) => WalkFilesAsync(_source, writer, countFound: true, ct),
                _options.Checkers,
                (file, ct) => CheckOneAsync(file, compareOnly, toCopy.Writer, ct),
                cancellationToken);
            var copying = Pipeline.ConsumeAsync(toCopy.Reader, _options.Transfers, (file, ct) => CopyOneAsync(copier, file, ct), cancellationToken);
            Exception? walkFailure = null;
            try
            {
                await checking.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                walkFailure = ex;
            }
            finally
            {
                toCopy.Writer.TryComplete();
            }

            // Transfers in flight must finish (commit or cancel cleanly) before this run returns, interrupted
            // or not: a re-run started right after must never race a leftover upload of the same path.
            try
            {
                await copying.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (walkFailure is not null)
            {
                // The walk's failure (or the cancellation) is the one to report.
            }

            if (walkFailure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(walkFailure);
            }
            if (compareOnly)
            {
                await Pipeline.RunAsync<StorageFileInfo>(
                    (writer, ct) => WalkFilesAsync(_destination, writer, countFound: false, ct),
                    _options.Checkers,
                    FindExtraAsync,
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        lock (_gate)
        {
            return new MigrationSummary
            {
                Files = new Dictionary<FileOutcome, long>(_files),
                Bytes = new Dictionary<FileOutcome, long>(_bytes),
                BytesTransferred = Interlocked.Read(ref _transferred),
                Elapsed = _time.GetElapsedTime(_started),
                Interrupted = interrupted,
                Problems = _problems.OrderBy(p => p.Path, StringComparer.Ordinal).ToArray(),
            };
        }
    }

    private async Task WalkFilesAsync(IStorageDriver driver, ChannelWriter<StorageFileInfo> writer, bool countFound, CancellationToken cancellationToken)
    {
        try
        {
            await driver.WalkAsync(_options.Prefix, async (entry, ct) =>
            {
                if (!entry.IsDirectory && _filter.Matches(entry.Path))
                {
                    if (countFound)
                    {
                        Interlocked.Increment(ref _filesFound);
                        Interlocked.Add(ref _bytesFound, entry.Size);
                    }

                    await writer.WriteAsync(entry, ct).ConfigureAwait(false);
                }

                return WalkDecision.Continue;
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (PathNotFoundException) when (!countFound)
        {
            // No destination tree: nothing extra.
        }

        if (countFound)
        {
            Volatile.Write(ref _walkComplete, true);
        }
    }

    private async Task CheckOneAsync(StorageFileInfo file, bool compareOnly, ChannelWriter<StorageFileInfo> toCopy, CancellationToken cancellationToken)
    {
        var decided = await GuardAsync(file, async ct =>
        {
            var difference = await FileComparer.CompareAsync(_source, _destination, file, _options.BufferSize, ct).ConfigureAwait(false);
            if (difference is null)
            {
                return new FileResult(file.Path, FileOutcome.Skipped, file.Size);
            }

            var (outcome, detail) = difference.Value;
            var copy = outcome == FileOutcome.Missing || _options.Overwrite;
            if (copy && !compareOnly && !_options.DryRun)
            {
                await toCopy.WriteAsync(file, ct).ConfigureAwait(false);
                return null;
            }

            return new FileResult(file.Path, outcome, file.Size, _options.DryRun && copy ? (outcome == FileOutcome.Missing ? "would copy" : "would overwrite: " + detail) : detail);
        }, cancellationToken).ConfigureAwait(false);
        if (decided is not null)
        {
            Record(decided);
        }
    }

    private async Task CopyOneAsync(FileCopier copier, StorageFileInfo file, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            Record((await GuardAsync(file, async ct => await copier.CopyAsync(file, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))!);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted after its commit (during the read-back, or before the copier saw the
            // cancellation): the file is at the destination, and a resume will skip it, so the
            // summary counts it as copied — otherwise the two disagree on what was committed.
            if (await CommittedSinceAsync(file, started).ConfigureAwait(false))
            {
                Record(new FileResult(file.Path, FileOutcome.Copied, file.Size, "committed; interrupted before it was read back"));
            }

            throw;
        }
    }

    private async Task<bool> CommittedSinceAsync(StorageFileInfo file, DateTimeOffset started)
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var stored = await _destination.StatAsync(file.Path, bounded.Token).ConfigureAwait(false);
            // Modification times may be whole seconds (a backend's granularity): allow for it.
            return !stored.IsDirectory && stored.Size == file.Size && stored.ModTime >= started.AddSeconds(-1);
        }
        catch (Exception ex) when (ex is StorageDriverException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private async Task FindExtraAsync(StorageFileInfo file, CancellationToken cancellationToken)
    {
        var result = await GuardAsync(file, async ct =>
            await _source.ExistsAsync(file.Path, ct).ConfigureAwait(false) ? null : new FileResult(file.Path, FileOutcome.Extra, file.Size, "only at the destination"),
            cancellationToken).ConfigureAwait(false);
        if (result is not null)
        {
            Record(result, countDone: false);
        }
    }

    // A failing file is a result, not the end of the run; only cancellation and bugs propagate.
    private static async Task<FileResult?> GuardAsync(StorageFileInfo file, Func<CancellationToken, Task<FileResult?>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is StorageDriverException or IOException or OperationCanceledException)
        {
            var retryable = ex is IOException or OperationCanceledException || Decorators.RetryDriver.IsTransient(ex) || ex is PathNotFoundException;
            return new FileResult(file.Path, retryable ? FileOutcome.FailedRetryable : FileOutcome.FailedFatal, file.Size, ex.Message);
        }
    }

    private void Record(FileResult result, bool countDone = true)
    {
        lock (_gate)
        {
            _files[result.Outcome] = _files.GetValueOrDefault(result.Outcome) + 1;
            _bytes[result.Outcome] = _bytes.GetValueOrDefault(result.Outcome) + result.Size;
            if (result.Outcome is not (FileOutcome.Copied or FileOutcome.Skipped))
            {
                _problems.Add(result);
            }
        }

        if (countDone)
        {
            Interlocked.Increment(ref _filesDone);
            Interlocked.Add(ref _bytesDone, result.Size);
        }

        FileCompleted?.Invoke(result);
    }
}
