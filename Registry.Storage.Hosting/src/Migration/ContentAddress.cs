using System.Text.RegularExpressions;

namespace Registry.Storage.Hosting.Migration;

/// <summary>
/// Distribution's content-addressed layout: a blob lives at
/// <c>…/blobs/sha256/&lt;first two hex&gt;/&lt;64 hex&gt;/data</c>, so its SHA-256 is known from the
/// path alone — equality and corruption checks need no second read of the source.
/// </summary>
public static partial class ContentAddress
{
    /// <summary>The lowercase hex SHA-256 named by <paramref name="path"/>, or <see langword="null"/> when the path is not a blob's data.</summary>
    public static string? Sha256Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var match = BlobData().Match(path);
        return match.Success && match.Groups["digest"].Value.StartsWith(match.Groups["prefix"].Value, StringComparison.Ordinal)
            ? match.Groups["digest"].Value
            : null;
    }

    [GeneratedRegex("/blobs/sha256/(?<prefix>[0-9a-f]{2})/(?<digest>[0-9a-f]{64})/data$", RegexOptions.CultureInvariant)]
    private static partial Regex BlobData();
}
