namespace Registry.Storage;

/// <summary>The path breaks the path rule (distribution's <c>InvalidPathError</c>).</summary>
public sealed class InvalidPathException : StorageDriverException
{
    /// <summary>Creates the error for <paramref name="path"/> with the <paramref name="reason"/> it is invalid.</summary>
    public InvalidPathException(string driverName, string path, string reason)
        : base(driverName, $"invalid path: {Quote(path)}: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Which part of the rule the path breaks.</summary>
    public string Reason { get; }

    // Hostile paths may hold control characters; keep the message on one readable line.
    private static string Quote(string path)
    {
        var shown = path.Length > 256 ? path[..256] + "…" : path;
        return "\"" + string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";
    }
}
