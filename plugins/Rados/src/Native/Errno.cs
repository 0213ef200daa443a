namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>The Linux errno values librados returns (negated), with their symbolic names.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int EFBIG = 27;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int ENOTEMPTY = 39;
    public const int ENODATA = 61;
    public const int EOVERFLOW = 75;
    public const int EMSGSIZE = 90;
    public const int EOPNOTSUPP = 95;
    public const int ECONNRESET = 104;
    public const int ENOTCONN = 107;
    public const int ESHUTDOWN = 108;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EDQUOT = 122;
    public const int ECANCELED = 125;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM",
        [ENOENT] = "ENOENT",
        [EIO] = "EIO",
        [EAGAIN] = "EAGAIN",
        [ENOMEM] = "ENOMEM",
        [EACCES] = "EACCES",
        [EBUSY] = "EBUSY",
        [EEXIST] = "EEXIST",
        [EINVAL] = "EINVAL",
        [EFBIG] = "EFBIG",
        [ENOSPC] = "ENOSPC",
        [EROFS] = "EROFS",
        [ERANGE] = "ERANGE",
        [ENAMETOOLONG] = "ENAMETOOLONG",
        [ENOTEMPTY] = "ENOTEMPTY",
        [ENODATA] = "ENODATA",
        [EOVERFLOW] = "EOVERFLOW",
        [EMSGSIZE] = "EMSGSIZE",
        [EOPNOTSUPP] = "EOPNOTSUPP",
        [ECONNRESET] = "ECONNRESET",
        [ENOTCONN] = "ENOTCONN",
        [ESHUTDOWN] = "ESHUTDOWN",
        [ETIMEDOUT] = "ETIMEDOUT",
        [ECONNREFUSED] = "ECONNREFUSED",
        [EDQUOT] = "EDQUOT",
        [ECANCELED] = "ECANCELED",
    };

    /// <summary>The symbolic name of <paramref name="errno"/> (positive or negated), or <c>errno N</c> for one not in the table.</summary>
    public static string Name(int errno)
    {
        var positive = Math.Abs(errno);
        return Names.TryGetValue(positive, out var name) ? name : $"errno {positive}";
    }
}
