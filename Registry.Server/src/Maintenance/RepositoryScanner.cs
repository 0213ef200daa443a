using System.Text;
using Registry.Server.Layout;
using Registry.Storage;

namespace Registry.Server.Maintenance;

/// <summary>What a scan of the repositories collects beyond the revisions and referrers it always does.</summary>
[Flags]
internal enum RepositoryParts
{
    /// <summary>Revisions and referrers only (always collected): <c>_layers</c> and <c>_manifests/tags</c> are not entered.</summary>
    None = 0,

    /// <summary>The <c>_layers</c> links.</summary>
    Layers = 1,

    /// <summary>The tags (<c>_manifests/tags</c>: <c>current</c> and <c>index</c>).</summary>
    Tags = 2,

    /// <summary>Everything.</summary>
    All = Layers | Tags,
}

/// <summary>
/// One native walk of <c>repositories/</c> (no Stat or List per entry): every repository — a
/// directory holding <c>_layers</c>, <c>_manifests</c> or <c>_referrers</c> — with its link files
/// by kind. The digest of a link is taken from its path; link contents are read only where a
/// caller needs them (tags' <c>current</c>, verification). <c>_uploads</c> is not entered, nor
/// <c>_layers</c> or the tags when the caller does not ask for them (on a driver that lists
/// directory by directory, they are most of the tree).
/// </summary>
internal static class RepositoryScanner
{
    private static readonly string Prefix = RegistryPaths.Repositories + "/";

    /// <summary>Scans every repository, or only <paramref name="only"/> (exact names) when given, collecting <paramref name="parts"/>.</summary>
    public static async Task<SortedDictionary<string, RepositoryContents>> ScanAsync(
        IStorageDriver driver, IReadOnlySet<string>? only, CancellationToken cancellationToken, RepositoryParts parts = RepositoryParts.All)
    {
        var repositories = new SortedDictionary<string, RepositoryContents>(StringComparer.Ordinal);
        if (only is { Count: > 0 })
        {
            foreach (var name in only.Order(StringComparer.Ordinal))
            {
                await WalkAsync(driver, RegistryPaths.Repository(name), repositories, only, parts, cancellationToken);
            }
        }
        else
        {
            await WalkAsync(driver, RegistryPaths.Repositories, repositories, null, parts, cancellationToken);
        }

        return repositories;
    }

    /// <summary>Reads every tag's <c>current/link</c> (parallel); a missing or unreadable link leaves <see cref="TagEntry.CurrentTarget"/> null.</summary>
    public static Task ReadTagsAsync(IStorageDriver driver, IEnumerable<RepositoryContents> repositories, int parallelism, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            repositories.SelectMany(r => r.Tags.Values).Where(t => t.Current is not null),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (tag, ct) => tag.CurrentTarget = await TryReadLinkAsync(driver, tag.Current!.Path, ct));

    /// <summary>The digest a link file holds, or null when it is gone or does not hold one.</summary>
    public static async Task<Digest?> TryReadLinkAsync(IStorageDriver driver, string path, CancellationToken cancellationToken)
    {
        try
        {
            var text = Encoding.UTF8.GetString(await driver.GetContentAsync(path, cancellationToken)).Trim();
            return Digest.TryParse(text, out var digest, out _) ? digest : null;
        }
        catch (PathNotFoundException)
        {
            return null;
        }
    }

    private static async Task WalkAsync(
        IStorageDriver driver, string root, SortedDictionary<string, RepositoryContents> repositories, IReadOnlySet<string>? only, RepositoryParts parts, CancellationToken cancellationToken)
    {
        try
        {
            await driver.WalkAsync(root, (entry, _) => ValueTask.FromResult(Visit(entry, repositories, only, parts)), null, cancellationToken);
        }
        catch (PathNotFoundException)
        {
            // no repositories yet, or a named repository that does not exist
        }
    }

    private static WalkDecision Visit(StorageFileInfo entry, SortedDictionary<string, RepositoryContents> repositories, IReadOnlySet<string>? only, RepositoryParts parts)
    {
        if (!entry.Path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return WalkDecision.Continue;
        }

        var segments = entry.Path[Prefix.Length..].Split('/');
        var marker = Array.FindIndex(segments, s => s.StartsWith('_'));
        if (marker <= 0)
        {
            return WalkDecision.Continue; // a directory on the way to a repository
        }

        var name = string.Join('/', segments[..marker]);
        if (only is not null && !only.Contains(name))
        {
            return WalkDecision.SkipDirectory; // a nested repository below one that was asked for
        }

        var kind = segments[marker];
        if (kind is not ("_layers" or "_manifests" or "_referrers"))
        {
            return WalkDecision.SkipDirectory; // _uploads and anything else private
        }

        if (!repositories.TryGetValue(name, out var repository))
        {
            repository = new RepositoryContents(name);
            repositories[name] = repository;
        }

        if (!entry.IsDirectory)
        {
            Classify(repository, segments[marker..], entry);
            return WalkDecision.Continue;
        }

        // The repository is known now; what the caller did not ask for is not walked.
        var unwanted = (kind == "_layers" && segments.Length == marker + 1 && !parts.HasFlag(RepositoryParts.Layers))
            || (kind == "_manifests" && segments.Length == marker + 2 && segments[marker + 1] == "tags" && !parts.HasFlag(RepositoryParts.Tags));
        return unwanted ? WalkDecision.SkipDirectory : WalkDecision.Continue;
    }

    private static void Classify(RepositoryContents repository, string[] s, StorageFileInfo entry)
    {
        bool LinkAt(int algorithm, out LinkEntry link)
        {
            link = null!;
            if (s.Length != algorithm + 3 || s[^1] != "link" || !Digest.TryParse(s[algorithm] + ":" + s[algorithm + 1], out var digest, out _))
            {
                return false;
            }

            link = new LinkEntry(digest, entry.Path, entry.ModTime);
            return true;
        }

        switch (s[0])
        {
            case "_layers" when LinkAt(1, out var layer):
                repository.Layers.Add(layer);
                return;
            case "_manifests" when s.Length > 1 && s[1] == "revisions" && LinkAt(2, out var revision):
                repository.Revisions.Add(revision);
                return;
            case "_manifests" when s.Length == 5 && s[1] == "tags" && s[3] == "current" && s[4] == "link":
                repository.Tag(s[2]).Current = new LinkEntry(default, entry.Path, entry.ModTime);
                return;
            case "_manifests" when s.Length > 4 && s[1] == "tags" && s[3] == "index" && LinkAt(4, out var indexEntry):
                repository.Tag(s[2]).Index.Add(indexEntry);
                return;
            case "_referrers" when s.Length == 6 && Digest.TryParse(s[1] + ":" + s[2], out var subject, out _) && LinkAt(3, out var referrer):
                repository.Referrers.Add(new ReferrerEntry(subject, referrer));
                return;
            default:
                repository.Unrecognised.Add(entry.Path);
                return;
        }
    }
}
