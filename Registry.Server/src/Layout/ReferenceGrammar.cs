using System.Text.RegularExpressions;

namespace Registry.Server.Layout;

/// <summary>
/// The distribution spec's grammar for repository names and tags, checked before any of them
/// becomes part of a storage path: no component can be empty, <c>.</c>, <c>..</c> or contain <c>/</c>.
/// </summary>
internal static partial class ReferenceGrammar
{
    /// <summary>distribution's limit on a repository name.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Whether <paramref name="name"/> is a valid repository name.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && NamePattern().IsMatch(name);

    /// <summary>Whether <paramref name="tag"/> is a valid tag.</summary>
    public static bool IsValidTag(string? tag) => !string.IsNullOrEmpty(tag) && TagPattern().IsMatch(tag);

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TagPattern();
}
