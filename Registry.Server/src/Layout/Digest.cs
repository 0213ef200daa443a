using System.Security.Cryptography;

namespace Registry.Server.Layout;

/// <summary>
/// A content digest <c>algorithm:hex</c>, limited to what the registry can verify: <c>sha256</c>
/// (64 lowercase hex) and <c>sha512</c> (128 lowercase hex). Parsing is the only way to make one,
/// so a digest that reaches a storage path is always two safe path segments.
/// </summary>
internal readonly record struct Digest(string Algorithm, string Hex)
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    /// <inheritdoc />
    public override string ToString() => Algorithm + ":" + Hex;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "digest is empty";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"digest '{Truncate(text)}' is not of the form algorithm:encoded";
            return false;
        }

        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var length = algorithm switch
        {
            Sha256 => 64,
            Sha512 => 128,
            _ => -1,
        };
        if (length < 0)
        {
            error = $"digest algorithm '{Truncate(algorithm)}' is not supported (sha256, sha512)";
            return false;
        }

        if (hex.Length != length || !hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            error = $"digest '{Truncate(text)}' must have {length} lowercase hex characters after '{algorithm}:'";
            return false;
        }

        digest = new Digest(algorithm, hex);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses a digest the storage wrote (a link file); throws when it is not one.</summary>
    public static Digest ParseStored(string text, string path) =>
        TryParse(text.Trim(), out var digest, out var error)
            ? digest
            : throw new InvalidDataException($"{path} does not hold a digest: {error}");

    /// <summary>A fresh incremental hash for this digest's algorithm.</summary>
    public IncrementalHash CreateHash() => CreateHash(Algorithm);

    /// <summary>A fresh incremental hash for <paramref name="algorithm"/>.</summary>
    public static IncrementalHash CreateHash(string algorithm) => algorithm switch
    {
        Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
    };

    /// <summary>The digest of <paramref name="content"/> with <paramref name="algorithm"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm = Sha256) =>
        new(algorithm, Convert.ToHexStringLower(algorithm == Sha512 ? SHA512.HashData(content) : SHA256.HashData(content)));

    /// <summary>The digest a finished incremental hash gives.</summary>
    public static Digest FromHash(string algorithm, IncrementalHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return new Digest(algorithm, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
