using Registry.Server.Layout;

namespace Registry.Server.Maintenance;

/// <summary>A link file found by a scan: the digest its path names, where it is, when it was written.</summary>
internal sealed record LinkEntry(Digest Digest, string Path, DateTimeOffset ModTime);

/// <summary>A tag: its <c>current/link</c> (null when the tag directory has none) and its <c>index</c> entries.</summary>
internal sealed class TagEntry(string name)
{
    public string Name { get; } = name;

    public LinkEntry? Current { get; set; }

    /// <summary>What <c>current/link</c> holds, once read (<see cref="RepositoryScanner.ReadTagsAsync"/>).</summary>
    public Digest? CurrentTarget { get; set; }

    public List<LinkEntry> Index { get; } = [];
}

/// <summary>A referrer link: <c>_referrers/&lt;subject&gt;/&lt;referrer&gt;/link</c>.</summary>
internal sealed record ReferrerEntry(Digest Subject, LinkEntry Referrer);

/// <summary>Everything a walk of one repository found below its <c>_layers</c>, <c>_manifests</c> and <c>_referrers</c>.</summary>
internal sealed class RepositoryContents(string name)
{
    public string Name { get; } = name;

    public List<LinkEntry> Layers { get; } = [];

    public List<LinkEntry> Revisions { get; } = [];

    public SortedDictionary<string, TagEntry> Tags { get; } = new(StringComparer.Ordinal);

    public List<ReferrerEntry> Referrers { get; } = [];

    /// <summary>Files in a link directory whose path is not distribution's shape (a malformed digest segment, a stray file).</summary>
    public List<string> Unrecognised { get; } = [];

    public TagEntry Tag(string tag)
    {
        if (!Tags.TryGetValue(tag, out var entry))
        {
            entry = new TagEntry(tag);
            Tags[tag] = entry;
        }

        return entry;
    }
}
