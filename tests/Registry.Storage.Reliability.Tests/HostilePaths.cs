using CsCheck;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Generates paths an attacker (or a confused client) might send: traversal segments in plain
/// and encoded forms, absolute and Windows-style prefixes, backslashes, NUL and control
/// characters, overlong names, unicode look-alikes of '.' and '/', and names that collide with
/// drivers' internal bookkeeping (<c>~upload</c> suffixes, <c>.regstore-tails</c>), mixed with
/// ordinary valid segments so that accepted paths also get exercised.
/// </summary>
internal static class HostilePaths
{
    private static readonly string[] HostileSegments =
    [
        "..", ".", "...", "%2e%2e", "%2E%2E", "%2e", "..%2f", "%2f..", "..%5c", "%00", "..\\..", "a\\..\\..\\b",
        "\0", "a\0b", "\n", "\r\n", "\t", " ", "", "~", "~upload", "a~upload", "x.~upload", "_uploads", ".regstore-tails",
        ".regstore-tails~upload", "\u2024\u2024", "\uFF0E\uFF0E", "\u2215", "\uFF0F", "\u2044", "\u202E", "\uFEFF", "\u0430",
        "con", "nul", "aux", "lpt1", "c:", "C:\\Windows", "$TMP", "*", "?", "[a]", "'", "\"", ";rm", "|", "<", ">",
        new string('a', 255), new string('b', 256), new string('c', 1000), "-", "--", "_", ".hidden", "a..b", "a.", ".a",
    ];

    private static readonly string[] Prefixes = ["/", "/", "/", "", "//", "\\", "../", "./", "~/", "C:\\", "/../", "/./", "file:///", "\\\\server\\share\\"];

    private static readonly string[] Separators = ["/", "/", "/", "/", "\\", "//", "/./", "/../"];

    private static readonly string[] Suffixes = ["", "", "", "/", "~upload", "/..", "/.", "\\", "\0", "/.regstore-tails"];

    /// <summary>A segment that passes distribution's rule on its own (letters, digits, '.', '_', '-').</summary>
    private static readonly Gen<string> ValidSegment =
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"], 1, 12];

    private static readonly Gen<string> Segment = Gen.Frequency(
        (3, ValidSegment),
        (3, Gen.OneOfConst(HostileSegments)),
        (1, Gen.String[Gen.Char[(char)0, (char)0x2FFF], 1, 8]));

    /// <summary>Generated hostile (and sometimes valid) paths.</summary>
    public static readonly Gen<string> Gen_ =
        Gen.Select(
            Gen.OneOfConst(Prefixes),
            Gen.Select(Segment, Gen.OneOfConst(Separators)).Array[1, 6],
            Gen.OneOfConst(Suffixes),
            Gen.Int[0, 30],
            (prefix, parts, suffix, overlong) =>
            {
                var body = string.Concat(parts.Select((p, i) => i == 0 ? p.Item1 : p.Item2 + p.Item1));
                var path = prefix + body + suffix;

                // Occasionally an overlong path made of many valid segments (distribution puts no
                // length limit on paths; disks and servers do).
                return overlong == 0 ? "/" + string.Join('/', Enumerable.Repeat("deep", 1200)) : path;
            });
}
