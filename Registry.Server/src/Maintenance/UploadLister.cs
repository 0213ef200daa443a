using System.Globalization;
using System.Text;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>
/// Every upload below <c>repositories/</c>: one native walk that enters only <c>_uploads</c>
/// (skipping <c>_layers</c>, <c>_manifests</c>, <c>_referrers</c>), then each <c>startedat</c> read.
/// </summary>
public sealed class UploadLister(IStorageDriver driver)
{
    private static readonly string Prefix = RegistryPaths.Repositories + "/";

    /// <summary>The uploads, sorted by repository and id.</summary>
    public async Task<IReadOnlyList<UploadInfo>> ListAsync(CancellationToken cancellationToken)
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

                if (segments.Length > marker + 1)
                {
                    var repository = string.Join('/', segments[..marker]);
                    var id = segments[marker + 1];
                    var directory = $"{RegistryPaths.Uploads(repository)}/{id}";
                    var current = found.GetValueOrDefault(directory, (repository, id, null, 0, default));
                    if (!entry.IsDirectory)
                    {
                        current.Size += entry.Size;
                        current.Modified = entry.ModTime > current.Modified ? entry.ModTime : current.Modified;
                        if (segments.Length == marker + 3 && segments[^1] == "startedat")
                        {
                            current.StartedAtFile = entry.Path;
                        }
                    }

                    found[directory] = current;
                }

                return ValueTask.FromResult(WalkDecision.Continue);
            }, null, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            return [];
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
