using System.Runtime.InteropServices;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>
/// Caps glibc's malloc arenas before librados starts its threads. librados copies every stripe
/// into native buffers from its messenger and objecter threads; with glibc's default of eight
/// arenas per core each of those threads gets an arena of its own, and the freed stripes stay
/// cached in them: measured on a 1 GiB write, private memory 117 MiB with the default and 79 MiB
/// with two arenas, and 168 → 81 MiB kept before a second write (docs/benchmarks.md, rados
/// memory). It is process-wide, so it is set only once the rados driver is selected, and never
/// raised back: an operator's <c>MALLOC_ARENA_MAX</c> wins.
/// </summary>
internal static partial class GlibcArenas
{
    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in malloc.h

    /// <summary>The arena count the driver asks for.</summary>
    public const int Max = 2;

    private static int s_applied;

    /// <summary>Applies <see cref="Max"/> once per process, unless the environment already chose; false where there is no glibc.</summary>
    public static bool Apply()
    {
        if (Interlocked.Exchange(ref s_applied, 1) == 1 || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
        {
            return false;
        }

        try
        {
            return mallopt(ArenaMaxParameter, Max) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // musl or another libc: its own allocator, nothing to tune
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial int mallopt(int parameter, int value);
}
