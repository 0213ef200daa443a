using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// What the host demands of a plugin before loading it. Loading a DLL runs it with the host's
/// full rights (a load context is no sandbox), so whoever can write a plugin file can act as
/// the host: by default the plugins directory, each plugin folder and each plugin DLL must be
/// owned by the host's user and not writable by group or others; optionally, only plugin folders whose
/// manifest digest is listed (configuration key <c>plugins:allowedsha256</c>) load at all.
/// </summary>
public sealed record PluginTrustOptions
{
    /// <summary>The configuration key of the allow-list of plugin SHA-256 hashes.</summary>
    public const string AllowedSha256Key = "plugins:allowedsha256";

    /// <summary>The configuration key that turns the ownership and mode checks off (default true).</summary>
    public const string RequireSafePermissionsKey = "plugins:requiresafepermissions";

    /// <summary>The default: ownership and mode checks on, no hash allow-list.</summary>
    public static PluginTrustOptions Default { get; } = new();

    /// <summary>Refuse folders and DLLs writable by group/others or owned by another user (Unix only).</summary>
    public bool RequireSafePermissions { get; init; } = true;

    /// <summary>When set, only plugin folders whose manifest digest (<see cref="PluginTrust.ManifestDigest"/>, hex, any case) is listed are loaded.</summary>
    public IReadOnlyCollection<string>? AllowedSha256 { get; init; }

    /// <summary>
    /// Reads <c>plugins:allowedsha256</c> (a YAML/JSON list, or one comma-separated string from an
    /// environment variable) and <c>plugins:requiresafepermissions</c> from <paramref name="configuration"/>.
    /// </summary>
    public static PluginTrustOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AllowedSha256Key);
        var hashes = section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (hashes.Count == 0 && section.Value is { } single)
        {
            hashes = [.. single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        var safe = configuration[RequireSafePermissionsKey] is not { } flag || !bool.TryParse(flag, out var parsed) || parsed;
        return new PluginTrustOptions { RequireSafePermissions = safe, AllowedSha256 = hashes.Count == 0 ? null : hashes };
    }
}

/// <summary>The checks behind <see cref="PluginTrustOptions"/>; each returns the reason to refuse, or null.</summary>
public static partial class PluginTrust
{
    /// <summary>Why <paramref name="path"/> (a folder or file) must not be trusted, or null when it may.</summary>
    public static string? CheckPermissions(string path, PluginTrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.RequireSafePermissions || OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            return $"refused: {path} is writable by {Writers(mode)} (mode {Octal(mode)}); a plugin runs with the host's rights, so only its owner may write it (chmod go-w)";
        }

        if (OperatingSystem.IsLinux() && Unix.OwnerOf(path) is { } owner && owner != Unix.EffectiveUserId)
        {
            return $"refused: {path} is owned by uid {owner}, not by the host's user (uid {Unix.EffectiveUserId}); a plugin runs with the host's rights (chown it)";
        }

        return null;
    }

    /// <summary>
    /// Checks a whole plugin folder before any of it is loaded: the folder, every directory
    /// below it and every file the loader may load (<see cref="LoadableFiles"/>) must pass the
    /// permission check; then, with an allow-list, the digest of the folder's manifest
    /// (<see cref="ManifestDigest"/>) must be listed, so a swapped dependency is refused too.
    /// </summary>
    public static string? CheckPlugin(string folder, PluginTrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (CheckPermissions(folder, options) is { } folderProblem)
        {
            return folderProblem;
        }

        var files = LoadableFiles(folder);
        foreach (var path in files.Select(Path.GetDirectoryName).OfType<string>().Distinct(StringComparer.Ordinal).Concat(files))
        {
            if (CheckPermissions(path, options) is { } problem)
            {
                return problem;
            }
        }

        if (options.AllowedSha256 is not { } allowed)
        {
            return null;
        }

        var digest = ManifestDigest(folder);
        return allowed.Any(h => string.Equals(h.Trim(), digest, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"refused: the plugin's file manifest has SHA-256 {digest}, which is not in {PluginTrustOptions.AllowedSha256Key}; check the folder's files, then add the digest (regstore drivers --hash {folder}) to trust this build";
    }

    /// <summary>
    /// Every file under <paramref name="folder"/> the runtime may load for the plugin: assemblies
    /// (<c>*.dll</c>), native libraries (<c>*.so*</c>, <c>*.dylib</c>), <c>*.json</c> metadata
    /// (<c>.deps.json</c>, <c>.runtimeconfig.json</c>) and everything under <c>runtimes/</c>; sorted ordinally.
    /// </summary>
    public static IReadOnlyList<string> LoadableFiles(string folder)
    {
        var root = Path.GetFullPath(folder);
        var runtimes = Path.Combine(root, "runtimes") + Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
            .Where(path => path.StartsWith(runtimes, StringComparison.Ordinal) || IsLoadable(Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// The plugin's identity for <c>plugins:allowedsha256</c>: SHA-256 over the lines
    /// <c>&lt;sha256 of the file&gt;  &lt;path relative to the folder&gt;\n</c> of every
    /// <see cref="LoadableFiles">loadable file</see>, in ordinal order of the path (what
    /// <c>sha256sum</c> prints, so <c>cd plugin &amp;&amp; find … | sort | xargs sha256sum | sha256sum</c> reproduces it).
    /// </summary>
    public static string ManifestDigest(string folder)
    {
        var root = Path.GetFullPath(folder);
        var manifest = new System.Text.StringBuilder();
        foreach (var path in LoadableFiles(root))
        {
            manifest.Append(Sha256(path)).Append("  ").Append(Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(manifest.ToString())));
    }

    private static bool IsLoadable(string name) =>
        name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".dylib", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".so", StringComparison.Ordinal)
        || name.Contains(".so.", StringComparison.Ordinal);

    /// <summary>The lower-case hex SHA-256 of a file, as an operator puts it in the allow-list.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Writers(UnixFileMode mode) =>
        (mode & UnixFileMode.GroupWrite) != 0 && (mode & UnixFileMode.OtherWrite) != 0 ? "group and others"
        : (mode & UnixFileMode.GroupWrite) != 0 ? "its group" : "others";

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8);

    /// <summary>Linux owner lookup: the BCL exposes mode bits but not the owner, so statx it.</summary>
    private static partial class Unix
    {
        private const int AtFdCwd = -100;
        private const uint StatxUid = 0x8;
        private const int UidOffset = 20; // struct statx: mask u32, blksize u32, attributes u64, nlink u32, uid u32

        public static uint EffectiveUserId => geteuid();

        public static uint? OwnerOf(string path)
        {
            var buffer = new byte[256];
            return statx(AtFdCwd, path, 0, StatxUid, buffer) == 0 ? BitConverter.ToUInt32(buffer, UidOffset) : null;
        }

        // Source-generated marshalling (LibraryImport): compiled ahead of time with the host, where a
        // DllImport with a string parameter had its stub generated at run time on every start-up.
        [LibraryImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static partial uint geteuid();

        [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static partial int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
    }
}
