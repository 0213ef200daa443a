using System.Text;
using System.Text.RegularExpressions;

namespace Registry.Storage.Hosting.Migration;

/// <summary>
/// <c>--include</c>/<c>--exclude</c> globs over storage paths: <c>*</c> matches within one
/// segment, <c>**</c> any number of segments, <c>?</c> one character. A glob without a
/// leading <c>/</c> matches at any depth (<c>*.json</c> ≡ <c>**/*.json</c>).
/// </summary>
public sealed class PathFilter
{
    private readonly Regex[] _include;
    private readonly Regex[] _exclude;

    /// <summary>Builds the filter.</summary>
    public PathFilter(IEnumerable<string> include, IEnumerable<string> exclude)
    {
        _include = include.Select(ToRegex).ToArray();
        _exclude = exclude.Select(ToRegex).ToArray();
    }

    /// <summary>Whether <paramref name="path"/> is in.</summary>
    public bool Matches(string path) =>
        (_include.Length == 0 || _include.Any(r => r.IsMatch(path))) && !_exclude.Any(r => r.IsMatch(path));

    /// <summary>The regular expression a glob stands for.</summary>
    public static Regex ToRegex(string glob)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(glob);
        var pattern = new StringBuilder(glob.StartsWith('/') ? "^" : "^(?:.*/)?");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" is zero or more whole segments; a trailing "**" is everything below.
                if (i + 2 < glob.Length && glob[i + 2] == '/')
                {
                    pattern.Append("(?:.*/)?");
                    i += 2;
                }
                else
                {
                    pattern.Append(".*");
                    i++;
                }
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
    }
}
