namespace Registry.Storage.Hosting.Decorators;

/// <summary>
/// One call into a driver as the decorators see it: the operation's name (distribution's
/// method names), the path it concerns, and whether repeating it is harmless.
/// </summary>
public sealed class StorageOperation
{
    /// <summary>Describes a call of <paramref name="name"/> on <paramref name="path"/>.</summary>
    public StorageOperation(string name, string path, bool idempotent)
    {
        Name = name;
        Path = path;
        IsIdempotent = idempotent;
    }

    /// <summary><c>GetContent</c>, <c>PutContent</c>, <c>Reader</c>, <c>Writer</c>, <c>Stat</c>, <c>List</c>, <c>Move</c>, <c>Delete</c>, <c>RedirectURL</c>, <c>Walk</c> or <c>ListUploads</c>.</summary>
    public string Name { get; }

    /// <summary>The path the call concerns (the destination for a move).</summary>
    public string Path { get; }

    /// <summary>
    /// Whether a retry may repeat the call. A walk stops being idempotent once its visitor has
    /// seen an entry: repeating it would show the caller the same entries twice.
    /// </summary>
    public bool IsIdempotent { get; internal set; }
}
