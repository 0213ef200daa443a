using System.Globalization;
using System.Text;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// Every upload below <c>repositories/</c>: one native walk that enters only <c>_uploads</c>
/// (skipping <c>_layers</c>, <c>_manifests</c>, <c>_referrers</c>), then each <c>startedat</c> read.
/// Where the driver lists its pending uploads (<see cref="DriverCapabilities.ListUploads"/>), the
/// uncommitted <c>data</c> an upload's writer left counts in its size and time too — no walk shows it.
/// </summary>
public sealed class UploadLister(IStorageDriver driver)
{
    private static readonly string Prefix = RegistryPaths.Repositories + "/";

    /// <summary>The uploads, sorted by repository and id.</summary>
    public async Task<IReadOnlyList<UploadInfo>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<PendingUpload> pending = driver.Capabilities.ListUploads
            ? await PendingUploadLister.ListDriverUploadsAsync(driver, RegistryPaths.Repositories, cancellationToken)
            : [];
        return await ListAsync(pending, cancellationToken);
    }

    /// <summary>
    /// The uploads, sorted by repository and id, counting <paramref name="driverUploads"/> (the
    /// driver's pending uploads, already listed) that lie in an upload's directory.
    /// </summary>
    internal async Task<IReadOnlyList<UploadInfo>> ListAsync(IReadOnlyList<PendingUpload> driverUploads, CancellationToken cancellationToken)
    {
        var found = new SortedDictionary<string, (string Repository, string Id, string? StartedAtFile, long Size, DateTimeOffset Modified)>(StringComparer.Ordinal);
        try
        {
            await driver.WalkAsync(RegistryPaths.Repositories, (entry, _) =>
            {
                var segments = entry.Path[Prefix.Length..].Split('/');
                var marker = Array.FindIndex(segments, s => s.StartsWith('_'));
                if (marker <= 0)
                {
                    return ValueTask.FromResult(WalkDecision.Continue);
                }

                if (segments[marker] != "_uploads")
                {
                    return ValueTask.FromResult(WalkDecision.SkipDirectory);
                }

                if (UploadOf(entry.Path) is { } upload)
                {
                    var current = found.GetValueOrDefault(upload.Directory, (upload.Repository, upload.Id, null, 0, default));
                    if (!entry.IsDirectory)
                    {
                        current.Size += entry.Size;
                        current.Modified = entry.ModTime > current.Modified ? entry.ModTime : current.Modified;
                        if (segments.Length == marker + 3 && segments[^1] == "startedat")
                        {
                            current.StartedAtFile = entry.Path;
                        }
                    }

                    found[upload.Directory] = current;
                }

                return ValueTask.FromResult(WalkDecision.Continue);
            }, null, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            // no repositories (yet): only uncommitted data can be there
        }

        // An upload's uncommitted data (and an upload directory holding nothing else, without startedat).
        foreach (var pending in driverUploads)
        {
            if (UploadOf(pending.Path) is { } upload)
            {
                var current = found.GetValueOrDefault(upload.Directory, (upload.Repository, upload.Id, null, 0, default));
                current.Size += pending.Size;
                current.Modified = pending.LastModified > current.Modified ? pending.LastModified : current.Modified;
                found[upload.Directory] = current;
            }
        }

        var uploads = new UploadInfo[found.Count];
        await Parallel.ForEachAsync(found.Select((pair, index) => (pair, index)), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var (directory, u) = item.pair;
            var startedAt = u.StartedAtFile is null ? null : await ReadStartedAtAsync(u.StartedAtFile, ct);
            uploads[item.index] = new UploadInfo(u.Repository, u.Id, directory, startedAt, u.Size, u.Modified);
        });
        return uploads;
    }

    /// <summary>
    /// The registry upload whose directory (<c>repositories/&lt;name&gt;/_uploads/&lt;id&gt;</c>)
    /// holds <paramref name="path"/>, or <see langword="null"/> when the path lies in none.
    /// </summary>
    internal static (string Repository, string Id, string Directory)? UploadOf(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var segments = path[Prefix.Length..].Split('/');
        var marker = Array.FindIndex(segments, s => s.StartsWith('_'));
        if (marker <= 0 || segments[marker] != "_uploads" || segments.Length <= marker + 1)
        {
            return null;
        }

        var repository = string.Join('/', segments[..marker]);
        var id = segments[marker + 1];
        return (repository, id, $"{RegistryPaths.Uploads(repository)}/{id}");
    }

    private async Task<DateTimeOffset?> ReadStartedAtAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var text = Encoding.UTF8.GetString(await driver.GetContentAsync(path, cancellationToken)).Trim();
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startedAt) ? startedAt : null;
        }
        catch (PathNotFoundException)
        {
            return null;
        }
    }
}
