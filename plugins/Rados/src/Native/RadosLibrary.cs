using System.Reflection;
using System.Runtime.InteropServices;

namespace Registry.Storage.Drivers.Rados.Native;

/// <summary>
/// Loads librados explicitly before the first call, so a missing library is reported once,
/// clearly, at driver creation — not as a <see cref="DllNotFoundException"/> from whichever
/// call happens to come first. Resolution runs inside the plugin's load context: the
/// resolver is registered on this assembly only.
/// </summary>
internal static class RadosLibrary
{
    private static readonly object Gate = new();
    private static nint s_handle;
    private static bool s_resolverRegistered;

    /// <summary>
    /// Loads <paramref name="soname"/> (normally <see cref="RadosNative.Library"/>) and routes the
    /// binding's imports to it.
    /// </summary>
    /// <exception cref="DllNotFoundException">The library cannot be loaded; the message says which package provides it.</exception>
    public static void EnsureLoaded(string soname = RadosNative.Library)
    {
        lock (Gate)
        {
            if (!NativeLibrary.TryLoad(soname, typeof(RadosLibrary).Assembly, searchPath: null, out var handle))
            {
                throw new DllNotFoundException(
                    $"could not load the native library '{soname}' (librados.so.2 comes with the package librados2 on Debian, Ubuntu and RPM distributions): install it or put it on the library path");
            }

            if (s_handle == nint.Zero)
            {
                s_handle = handle;
            }

            if (!s_resolverRegistered)
            {
                NativeLibrary.SetDllImportResolver(typeof(RadosLibrary).Assembly, Resolve);
                s_resolverRegistered = true;
            }
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == RadosNative.Library ? s_handle : nint.Zero;
}
