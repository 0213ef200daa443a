using System.Text.RegularExpressions;

namespace Registry.Server.Uploads;

/// <summary>Upload session ids: distribution's are UUIDs; anything else with path-safe characters is refused.</summary>
internal static partial class UploadId
{
    public static string New() => Guid.NewGuid().ToString("D");

    public static bool IsValid(string? id) => !string.IsNullOrEmpty(id) && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
