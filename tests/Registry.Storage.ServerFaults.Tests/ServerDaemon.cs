namespace Registry.Storage.ServerFaults.Tests;

/// <summary>
/// One real server daemon a driver talks to, and the script under <c>services/</c> that kills
/// it hard (SIGKILL, as in a crash) and starts it again with the same configuration.
/// </summary>
/// <param name="Driver">The driver that talks to the daemon.</param>
/// <param name="Required">The driver parameters the service's env file must provide.</param>
/// <param name="Script">The restart script, relative to <c>services/</c>.</param>
/// <param name="ChunkSize">The driver's default chunk size: the tests write in chunks of it.</param>
/// <param name="SavesLater">
/// Whether the server saves committed metadata later rather than before it answers (Azurite:
/// every 5 s), so a kill loses the last seconds unless the test waits for the save first.
/// </param>
public sealed record ServerDaemon(string Driver, string[] Required, string Script, int ChunkSize, bool SavesLater = false)
{
    /// <summary>
    /// The daemons, one per network driver whose server the shared services run. Not rados: an
    /// OSD kill stops a one-OSD pool outright (and has kept it peering for minutes), so rados has
    /// its own fixture, <see cref="RadosOsdKillTests"/>, on a three-OSD cluster of its own.
    /// </summary>
    public static readonly ServerDaemon[] All =
    [
        new("s3", ["bucket"], "ceph/restart-rgw.sh", 10 << 20),
        new("swift", ["authurl", "container"], "swift/restart-proxy.sh", 20 << 20),
        new("azure", ["container"], "azurite/restart.sh", 4 << 20, SavesLater: true),
    ];

    /// <summary>Kills the daemon with SIGKILL and returns once it is gone.</summary>
    public Task KillAsync() => RunAsync("--kill-only");

    /// <summary>Starts the daemon (unless it runs) and returns once it answers requests.</summary>
    public Task StartAsync() => RunAsync("--start-only");

    /// <summary>
    /// Returns once what was committed so far survives a kill: at once for servers that persist
    /// before answering; for the others, after their next save.
    /// </summary>
    public Task CommittedSurvivesAKillAsync()
    {
        // Now: every commit awaited so far has been acknowledged; a save after this includes it.
        var since = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        return SavesLater ? RunAsync("--sync", since.ToString(System.Globalization.CultureInfo.InvariantCulture)) : Task.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => Driver;

    // REGSTORE_SERVICES_DIR (or its default, <repo>/.services) is inherited: the same services
    // the env files came from. The scripts bound their own waits (10 s for a kill, 30-150 s for readiness).
    private async Task RunAsync(string phase, params string[] arguments) =>
        await ServiceScript.RunAsync(Script, [phase, .. arguments], null, TimeSpan.FromSeconds(240));
}
