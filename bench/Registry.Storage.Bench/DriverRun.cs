using System.Diagnostics;

namespace Registry.Storage.Bench;

/// <summary>The rows every driver's table has, in this order (the charts and targets read them by index).</summary>
internal static class Rows
{
    public const int Write = 0;
    public const int Read = 1;
    public const int Move = 2;
    public const int List = 7;
    public const int Walk = 8;
    public const int Delete = 9;
    public const int Memory = 10;
    public const int MemoryPrivate = 11;
}

/// <summary>
/// One driver's workloads: one DriverBench process (serve mode); the List and Walk trees written
/// once by our driver (untimed); then each repetition alternates ours and the peer: write, read,
/// move, small PutContent/GetContent (ours only), list, walk, and delete in the last
/// <see cref="BenchOptions.DeleteReps"/> repetitions. For filesystem, s3 and swift the Go peer
/// (<see cref="GoPeer"/>, a second serve-mode process) runs each workload after the peer tool.
/// </summary>
internal sealed class DriverRun
{
    private readonly string _driver;
    private readonly BenchOptions _o;
    private readonly string _runDir;
    private readonly Dictionary<string, string> _environment;
    private readonly PeerTool? _peer;
    private readonly string _benchRoot;
    private readonly bool _hasGo;
    private readonly (string? Binary, string? Problem) _go;

    /// <param name="go">The Go peer's binary, or why there is none (<see cref="GoPeer.Build"/>); used for <see cref="GoPeer.Drivers"/> only.</param>
    public DriverRun(string driver, BenchOptions options, string runDir, Dictionary<string, string> environment, (string? Binary, string? Problem) go)
    {
        _hasGo = GoPeer.Drivers.Contains(driver);
        _go = go;
        _driver = driver;
        _o = options;
        _runDir = runDir;
        _environment = environment;
        var id = Guid.NewGuid().ToString("N")[..8];
        _benchRoot = driver == "filesystem" ? Path.Combine(options.ServicesDir, "bench", $"fs-{id}") : $"regstore-bench/{id}";
        _peer = PeerTool.For(driver, _benchRoot, environment);
    }

    /// <summary>The rows so far (the <see cref="Rows"/> indices hold).</summary>
    public List<BenchRow> Rows { get; } = [];

    /// <summary>The memory target: the driver's default until DriverBench reports its configuration.</summary>
    public MemoryBound Bound { get; private set; } = MemoryBound.DefaultFor("");

    /// <summary>Runs every workload; <paramref name="progress"/>(state) is called before each Delete and after each repetition, so a run cut short still leaves its figures.</summary>
    public void Run(Action<string> progress)
    {
        var o = _o;
        var peer = _peer;
        Bound = MemoryBound.DefaultFor(_driver);
        var big = o.BigBytes;
        var mib = big / (double)(1 << 20);
        var azure = _driver == "azure";
        var write = Row($"stream write {o.Big} (writer + commit)", "MiB/s", true, azure || peer?.Write != null, o.Reps, go: true);
        var read = Row($"stream read {o.Big}", "MiB/s", true, azure || peer?.Read != null, o.Reps, go: true);
        var move = Row($"Move {o.Big}", "s", false, peer?.Move != null, o.Reps, go: true);
        var put1k = Row("PutContent 1 KiB, sequential", "ops/s", true, false, o.Reps, go: true);
        var get1k = Row("GetContent 1 KiB, sequential", "ops/s", true, false, o.Reps, go: true);
        var put1m = Row("PutContent 1 MiB, sequential", "ops/s", true, false, o.Reps, go: true);
        var get1m = Row("GetContent 1 MiB, sequential", "ops/s", true, false, o.Reps, go: true);
        var list = Row($"List of a {o.List}-entry directory", "s", false, peer?.List != null, o.Reps, go: true);
        var walk = Row($"Walk of {o.Walk} files (100 per directory)", "s", false, peer?.Walk != null, o.Reps, go: true);
        var delete = Row($"Delete of a {o.Delete}-file tree (100 per directory)", "s", false, peer?.Delete != null, o.DeleteReps, go: true);
        var memory = Row($"peak RSS during the {o.Big} write", "MiB", false, azure || peer?.Write != null, o.Reps, go: true);
        var memoryPrivate = Row($"peak private memory (RssAnon + RssShmem) during the {o.Big} write", "MiB", false, false, o.Reps, go: true);
        var allocated = Row($"managed bytes allocated by the {o.Big} write", "MiB", false, false, o.Reps);
        var baseline = Row("RSS just before the write (after the full GC)", "MiB", false, false, o.Reps, go: true);
        var baselinePrivate = new List<double>();
        var managed = Row($"peak managed heap (GC.GetTotalMemory) during the {o.Big} write", "MiB", false, false, o.Reps);
        var baselineManaged = new List<double>();
        foreach (var r in new[] { put1k, get1k, put1m, get1m })
        {
            r.Note = "no peer: a CLI pays process start-up per object";
        }

        if (_driver == "filesystem")
        {
            Directory.CreateDirectory(_benchRoot);
        }

        // A hung server must not stall CI for long; a 10 000-object Delete on Azurite or Swift takes minutes.
        var timeout = TimeSpan.FromMinutes(big <= 64L << 20 && o.Delete <= 1000 && o.Walk <= 1000 ? 3 : 30);
        using var session = new DriverBenchProcess(Path.Combine(_runDir, $"driverbench-{_driver}", "Registry.Storage.DriverBench.dll"), Path.Combine(_runDir, "plugins", _driver), _benchRoot, _environment);
        // The Go peer gets the same root, so it lists, walks and deletes the trees our driver wrote.
        using var goSession = _hasGo && _go.Binary != null ? new DriverBenchProcess("the Go peer", _go.Binary, GoPeer.Arguments(_driver, _benchRoot), _environment) : null;
        if (_hasGo && _go.Binary == null)
        {
            Log.Error($"bench {_driver}: no Go figures: {_go.Problem}");
        }

        // Each step's wall time goes to the log: where a run's time budget went.
        Dictionary<string, double>? Serve(DriverBenchProcess? process, string side, string command)
        {
            if (process == null)
            {
                return null;
            }

            var step = Stopwatch.StartNew();
            var result = process.Run(command, timeout);
            if (result == null)
            {
                Log.Error($"bench {_driver}: {side} '{command}' failed: {process.Problem}");
            }
            else
            {
                Log.Information($"  {_driver} {side} {command.Replace("--workload ", "", StringComparison.Ordinal)}: {step.Elapsed.TotalSeconds:F1} s");
            }

            return result;
        }

        Dictionary<string, double>? Ours(string command) => Serve(session, "ours", command);
        Dictionary<string, double>? Go(string command) => Serve(goSession, "go", command);

        (double Seconds, long Peak)? Peer(Func<string>? script)
        {
            if (script == null)
            {
                return null;
            }

            var step = Stopwatch.StartNew();
            var text = script();
            var result = PeerRunner.Script(_runDir, _driver, _environment, text);
            if (result != null)
            {
                Log.Information($"  {_driver} peer {(text.Length > 60 ? text[..60] + "…" : text)}: {step.Elapsed.TotalSeconds:F1} s");
            }

            return result;
        }

        // The notes (targets from the configuration DriverBench reported); also before every progress report.
        void Annotate()
        {
            if (peer?.Move == null)
            {
                move.Note = "no peer equivalent";
            }

            if (peer?.List == null)
            {
                list.Note = "no peer equivalent";
                walk.Note = "no peer equivalent";
                delete.Note = "no peer equivalent";
            }

            if (o.DeleteReps < o.Reps)
            {
                delete.Note = (peer?.List == null ? "no peer equivalent; " : "") + $"{o.DeleteReps} of {o.Reps} repetitions (time budget)";
            }

            Bound = session.Bound ?? Bound;
            memory.Note = "whole process, sampled every 5 ms during the write only; " + Bound.Note + (_environment.TryGetValue("MALLOC_ARENA_MAX", out var arenas) ? $"; MALLOC_ARENA_MAX={arenas} (the plugin's README)" : "");
            memoryPrivate.Note = "without mapped runtime/assembly files; " + Bound.Note;
            allocated.Note = "GC.GetTotalAllocatedBytes over the write";
            managed.Note = "private memory minus this is native (the runtime's own, an SDK's or a native library's allocations)";
            baseline.Note = $"private {Statistics.Format(Statistics.Median(baselinePrivate))} MiB, managed heap {Statistics.Format(Statistics.Median(baselineManaged))} MiB; the runtime, host, plugin and SDK loaded, and what earlier repetitions left (pools, connections)";
        }

        // Trees listed and walked by both sides are written once, by our driver (untimed set-up).
        Ours($"--workload populate-flat --path /list --count {o.List}");
        Ours($"--workload populate --path /walk --count {o.Walk}");
        // One untimed walk each first: a process's first walks run code the runtime has not yet
        // optimised (five in a row took 63, 40, 34, 30, 29 ms), while find and Go run compiled code.
        Ours("--workload walk --path /walk");
        Go("--workload walk --path /walk");
        var walkDeleted = false;
        for (var rep = 1; rep <= o.Reps; rep++)
        {
            Log.Information($"bench {_driver}: repetition {rep}/{o.Reps}");
            // The write first: it samples its own memory, and starts from the state every repetition has.
            if (Ours($"--workload write --path /big --size {big}") is { } w)
            {
                write.Ours.Add(mib / w["seconds"]);
                memory.Ours.Add(w["peak"] / (1 << 20));
                memoryPrivate.Ours.Add(w["peak_private"] / (1 << 20));
                allocated.Ours.Add(w["allocated"] / (1 << 20));
                baseline.Ours.Add(w["base"] / (1 << 20));
                baselinePrivate.Add(w["base_private"] / (1 << 20));
                managed.Ours.Add(w["peak_managed"] / (1 << 20));
                baselineManaged.Add(w["base_managed"] / (1 << 20));
            }

            if (azure)
            {
                if (PeerRunner.AzureSdk(_runDir, big, _environment) is { } a)
                {
                    write.Peer.Add(mib / a.Up);
                    read.Peer.Add(mib / a.Down);
                    memory.Peer.Add(a.Peak / (double)(1 << 20));
                }
                else
                {
                    Log.Error($"bench {_driver}: the Azure SDK peer failed");
                }
            }
            else if (peer?.Write != null && Peer(() => peer.Write("peer-big", big)) is { } pw)
            {
                write.Peer.Add(mib / pw.Seconds);
                memory.Peer.Add(pw.Peak / (double)(1 << 20));
            }

            if (Go($"--workload write --path /go-big --size {big}") is { } gw)
            {
                write.Go.Add(mib / gw["seconds"]);
                memory.Go.Add(gw["peak"] / (1 << 20));
                memoryPrivate.Go.Add(gw["peak_private"] / (1 << 20));
                baseline.Go.Add(gw["base"] / (1 << 20));
            }

            if (peer?.DropCache is { } dropCache)
            {
                // Local files: every reader reads the same file, evicted before each read, and each
                // goes first in turn. On a virtual disk which file was written first decides a cold
                // read's rate, and the first reader leaves the file in the host's cache for the
                // others (docs/benchmarks.md, "filesystem read").
                Action[] readers =
                [
                    () => { if (Ours("--workload read --path /big") is { } r) read.Ours.Add(mib / r["seconds"]); },
                    () => { if (peer.Read != null && Peer(() => peer.Read("big")) is { } r) read.Peer.Add(mib / r.Seconds); },
                    () => { if (Go("--workload read --path /big") is { } r) read.Go.Add(mib / r["seconds"]); },
                ];
                for (var i = 0; i < readers.Length; i++)
                {
                    Peer(() => dropCache("big"));
                    readers[(rep - 1 + i) % readers.Length]();
                }
            }
            else
            {
                if (Ours("--workload read --path /big") is { } rd)
                {
                    read.Ours.Add(mib / rd["seconds"]);
                }

                if (peer?.Read != null && Peer(() => peer.Read("peer-big")) is { } pr)
                {
                    read.Peer.Add(mib / pr.Seconds);
                }

                if (Go("--workload read --path /go-big") is { } gr)
                {
                    read.Go.Add(mib / gr["seconds"]);
                }
            }

            if (Ours("--workload move --path /big --dst /big-moved") is { } mv)
            {
                move.Ours.Add(mv["seconds"]);
            }

            if (peer?.Move != null && Peer(() => peer.Move("peer-big", "peer-big-moved")) is { } pm)
            {
                move.Peer.Add(pm.Seconds);
            }

            if (Go("--workload move --path /go-big --dst /go-big-moved") is { } gm)
            {
                move.Go.Add(gm["seconds"]);
            }

            Ours("--workload delete --path /big-moved");
            Go("--workload delete --path /go-big-moved");

            // Small objects: ours, then the Go peer's into folders of its own (1 KiB and 1 MiB each).
            var smalls = new[] { ("1KiB", o.Small, put1k, get1k), ("1MiB", Math.Max(5, o.Small / 4), put1m, get1m) };
            foreach (var (serve, folder, side) in new (Func<string, Dictionary<string, double>?>, string, Func<BenchRow, List<double>>)[] { (Ours, "/small", r => r.Ours), (Go, "/go-small", r => r.Go) })
            {
                foreach (var (size, count, put, get) in smalls)
                {
                    if (serve($"--workload putget --path {folder}{size[..2].ToLowerInvariant()} --size {size} --count {count}") is { } pg)
                    {
                        side(put).Add(pg["put_ops"]);
                        side(get).Add(pg["get_ops"]);
                    }
                }
            }

            if (Ours("--workload list --path /list") is { } l)
            {
                list.Ours.Add(l["seconds"]);
            }

            if (peer?.List != null && Peer(() => peer.List("list")) is { } pl)
            {
                list.Peer.Add(pl.Seconds);
            }

            if (Go("--workload list --path /list") is { } gl)
            {
                list.Go.Add(gl["seconds"]);
            }

            if (Ours("--workload walk --path /walk") is { } wk)
            {
                walk.Ours.Add(wk["seconds"]);
            }

            if (peer?.Walk != null && Peer(() => peer.Walk("walk")) is { } pk)
            {
                walk.Peer.Add(pk.Seconds);
            }

            if (Go("--workload walk --path /walk") is { } gk)
            {
                walk.Go.Add(gk["seconds"]);
            }

            Annotate();
            progress($"repetition {rep} of {o.Reps} done up to Delete");
            // Delete runs in the last DeleteReps repetitions; the last one deletes the walked tree when it
            // has the same size, which saves writing another 10 000 objects (minutes on Swift).
            if (rep > o.Reps - o.DeleteReps)
            {
                var reuseWalk = rep == o.Reps && o.Walk == o.Delete;
                var oursTree = reuseWalk ? "/walk" : $"/del-ours-{rep}";
                if (!reuseWalk)
                {
                    Ours($"--workload populate --path {oursTree} --count {o.Delete}");
                }

                if (Ours($"--workload delete --path {oursTree}") is { } d)
                {
                    delete.Ours.Add(d["seconds"]);
                    walkDeleted = reuseWalk;
                }

                if (peer?.Delete != null)
                {
                    Ours($"--workload populate --path /del-peer-{rep} --count {o.Delete}");
                    if (Peer(() => peer.Delete($"del-peer-{rep}")) is { } pd)
                    {
                        delete.Peer.Add(pd.Seconds);
                    }
                }

                // The Go driver deletes a tree our driver wrote (untimed), as the peer tool does.
                if (goSession != null && Ours($"--workload populate --path /del-go-{rep} --count {o.Delete}") != null
                    && Go($"--workload delete --path /del-go-{rep}") is { } gd)
                {
                    delete.Go.Add(gd["seconds"]);
                }
            }

            // The peer's own objects go each repetition so the next write starts from the same state.
            if (peer?.Cleanup != null)
            {
                Peer(() => peer.Cleanup);
            }

            if (rep < o.Reps)
            {
                Annotate();
                progress($"{rep} of {o.Reps} repetitions done");
            }
        }

        Ours("--workload delete --path /list");
        if (!walkDeleted)
        {
            Ours("--workload delete --path /walk");
        }

        if (_driver == "filesystem")
        {
            Directory.Delete(_benchRoot, true);
        }

        Annotate();
    }

    // go: the Go peer has this workload (it counts only for the drivers it runs).
    private BenchRow Row(string workload, string unit, bool higher, bool hasPeer, int reps, bool go = false)
    {
        var r = new BenchRow { Workload = workload, Unit = unit, HigherIsBetter = higher, ExpectedOurs = reps, ExpectedPeer = hasPeer ? reps : 0, ExpectedGo = go && _hasGo ? reps : 0 };
        r.PeerName = hasPeer ? _peer?.Name ?? "Azure.Storage.Blobs" : "—";
        Rows.Add(r);
        return r;
    }
}
