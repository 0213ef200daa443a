using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Registry.Storage.Drivers.Azure;

/// <summary>
/// Deterministic block ids for staged uploads, so a new driver instance can find and resume
/// what an earlier writer staged: <c>base64("rsb1" + session + index)</c>. The session is the
/// writer's start time in hex plus a random tie-breaker, so the newest session sorts last
/// and a fresh <c>WriterAsync(append: false)</c> never picks up blocks a closed writer
/// left behind. All ids have one length, as the service requires within a blob.
/// </summary>
internal static class BlockIds
{
    private const string Magic = "rsb1";
    private const int SessionLength = 20;
    private const int IndexLength = 6;

    /// <summary>The index slot of a cancelled session's marker block ("cancel" fits the six characters).</summary>
    private const string CancelMarker = "cancel";

    /// <summary>The index slot of the marker a writer closed before any data leaves, so the empty upload still resumes.</summary>
    private const string OpenMarker = "opened";

    /// <summary>The index <see cref="TryParse"/> reports for a cancel marker.</summary>
    public const int CancelIndex = -1;

    /// <summary>The index <see cref="TryParse"/> reports for an open marker.</summary>
    public const int OpenIndex = -2;

    /// <summary>The largest block index an id can carry (beyond the service's 50,000 blocks).</summary>
    public const int MaxIndex = 999_999;

    /// <summary>A new session id: the time in 100 ns ticks (16 hex digits, sorts by time) and 4 random hex digits.</summary>
    public static string NewSession(TimeProvider time) =>
        time.GetUtcNow().UtcTicks.ToString("x16", CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0x10000).ToString("x4", CultureInfo.InvariantCulture);

    /// <summary>When <paramref name="session"/> started (the time in its first 16 hex digits), or <see cref="DateTimeOffset.MinValue"/> when it carries none.</summary>
    public static DateTimeOffset StartTime(string session) =>
        session.Length >= 16 && long.TryParse(session.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : DateTimeOffset.MinValue;

    /// <summary>The id of block <paramref name="index"/> of <paramref name="session"/>.</summary>
    public static string For(string session, int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxIndex);
        return Encode(session + index.ToString("D6", CultureInfo.InvariantCulture));
    }

    /// <summary>The id of the marker block that says <paramref name="session"/> was cancelled.</summary>
    public static string CancelFor(string session) => Encode(session + CancelMarker);

    /// <summary>The id of the marker block that says <paramref name="session"/> exists but holds no data yet.</summary>
    public static string OpenFor(string session) => Encode(session + OpenMarker);

    /// <summary>Reads an id; <see langword="false"/> for ids this driver did not write.</summary>
    /// <param name="id">The base64 block id.</param>
    /// <param name="session">The session it belongs to.</param>
    /// <param name="index">The block index, <see cref="CancelIndex"/> for a cancel marker or <see cref="OpenIndex"/> for an open marker.</param>
    public static bool TryParse(string id, out string session, out int index)
    {
        session = "";
        index = 0;
        Span<byte> raw = stackalloc byte[64];
        if (!Convert.TryFromBase64String(id, raw, out var length) || length != Magic.Length + SessionLength + IndexLength)
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(raw[..length]);
        if (!text.StartsWith(Magic, StringComparison.Ordinal))
        {
            return false;
        }

        session = text.Substring(Magic.Length, SessionLength);
        var slot = text[(Magic.Length + SessionLength)..];
        if (slot is CancelMarker or OpenMarker)
        {
            index = slot == CancelMarker ? CancelIndex : OpenIndex;
            return true;
        }

        return int.TryParse(slot, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    private static string Encode(string sessionAndSlot) => Convert.ToBase64String(Encoding.ASCII.GetBytes(Magic + sessionAndSlot));
}
