using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.Storage.Host.Cli;

/// <summary>Writes command results as text or as JSON (<c>--output json</c>).</summary>
internal static class Output
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    private static TextWriter? _stdout;
    private static Stream? _stdoutStream;

    /// <summary>Where command output goes: the process's real stdout, claimed before any plugin loads (<see cref="ClaimStandardOutput"/>).</summary>
    public static TextWriter Stdout => _stdout ?? Console.Out;

    /// <summary>
    /// Whether the command's stdout is redirected (a file or a pipe), as it was before <see cref="ClaimStandardOutput"/>
    /// pointed descriptor 1 at stderr — after that <see cref="Console.IsOutputRedirected"/> describes stderr.
    /// </summary>
    public static bool StdoutRedirected { get; private set; } = Console.IsOutputRedirected;

    /// <summary>The raw stream under <see cref="Stdout"/>, for binary output (<c>cat</c>).</summary>
    public static Stream StdoutStream => _stdoutStream ?? Console.OpenStandardOutput();

    /// <summary>
    /// Keeps stdout for the command alone: the real stdout is duplicated to a private descriptor
    /// that only <see cref="Stdout"/> writes to, and descriptor 1 and <see cref="Console.Out"/>
    /// are pointed at stderr, so nothing a plugin prints — managed or native — lands in
    /// <c>cat</c>'s bytes or in <c>--output json</c>.
    /// </summary>
    public static void ClaimStandardOutput()
    {
        // The console stream duplicates descriptor 1 when opened and writes with write(2), so it keeps the
        // real stdout (and appends correctly to a file shared with other processes) after 1 is redirected.
        StdoutRedirected = Console.IsOutputRedirected;
        _stdoutStream = Console.OpenStandardOutput();
        if (!OperatingSystem.IsWindows())
        {
            _ = Unix.dup2(2, 1);
        }

        _stdout = new StreamWriter(_stdoutStream, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { AutoFlush = true };
        Console.SetOut(Console.Error);
    }

    /// <summary>Flushes what the command wrote.</summary>
    public static void Flush() => _stdout?.Flush();

    public static void Json(object value) => Stdout.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonOptions));

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.##} GiB"),
    };

    public static string Time(DateTimeOffset time) =>
        time == default ? "-" : time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static object Entry(StorageFileInfo info) => new
    {
        path = info.Path,
        size = info.Size,
        modTime = info.ModTime == default ? (DateTimeOffset?)null : info.ModTime,
        isDirectory = info.IsDirectory,
    };

    private static class Unix
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int dup2(int oldFd, int newFd);
    }
}
