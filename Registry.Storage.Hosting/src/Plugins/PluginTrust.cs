using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// What the host demands of a plugin before loading it. Loading a DLL runs it with the host's
/// full rights (a load context is no sandbox), so whoever can write a plugin file can act as
/// the host: by default the plugins directory, each plugin folder and each plugin DLL must be
/// owned by the host's user and not writable by group or others; optionally, only DLLs whose
/// SHA-256 is listed (configuration key <c>plugins:allowedsha256</c>) load at all.
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

    /// <summary>When set, only plugin DLLs whose SHA-256 (hex, any case) is listed are loaded.</summary>
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
public static class PluginTrust
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

    /// <summary>Why the DLL at <paramref name="assemblyPath"/> is not on the allow-list, or null when it is (or there is none).</summary>
    public static string? CheckHash(string assemblyPath, PluginTrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllowedSha256 is not { } allowed)
        {
            return null;
        }

        var hash = Sha256(assemblyPath);
        return allowed.Any(h => string.Equals(h.Trim(), hash, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"refused: {Path.GetFileName(assemblyPath)} has SHA-256 {hash}, which is not in {PluginTrustOptions.AllowedSha256Key}; add it there to trust this build";
    }

    /// <summary>Checks a plugin folder and its main DLL: permissions of both, then the hash.</summary>
    public static string? CheckPlugin(string folder, string assemblyPath, PluginTrustOptions options) =>
        CheckPermissions(folder, options) ?? CheckPermissions(assemblyPath, options) ?? CheckHash(assemblyPath, options);

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
    private static class Unix
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

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern uint geteuid();

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
    }
}
