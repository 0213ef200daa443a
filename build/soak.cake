// Loaded by build.cake (#load "build/soak.cake"); uses root, artifacts, configuration, servicesDir,
// Exec, Services and LoadServiceEnvironment.
//
// ./build.sh soak [--duration=30m] [--soak-targets=s3,swift,azure,oss,rados,serve] [--soak-workers=32] [--soak-max-size=256MiB]
//
// The long soak (not part of the test command): tests/Registry.Storage.Reliability.Tests/LongSoak,
// one test process per target, all targets at once (so a 30-minute run soaks each for 30 minutes),
// each restarting its server at a different moment: the restarts of radosgw (s3) and of the OSD
// (rados, which radosgw also stands on) must not overlap. Starts the servers (as the test task
// does) and stops them afterwards; the figures go to artifacts/soak/ (<target>.md, .json,
// -memory.svg, .log, and report.md with every target's section).

Task("soak").IsDependentOn("publish").Does(() =>
{
    var duration = Argument("duration", "30m");
    var targets = Argument("soak-targets", "s3,swift,azure,oss,rados,serve").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var restartAt = new Dictionary<string, string> { ["s3"] = "0.3", ["swift"] = "0.4", ["serve"] = "0.45", ["azure"] = "0.5", ["oss"] = "0.6", ["rados"] = "0.7" };
    var unknown = targets.Where(t => !restartAt.ContainsKey(t)).ToList();
    if (unknown.Count > 0) throw new Exception($"soak: unknown target(s) {string.Join(", ", unknown)}; expected some of {string.Join(", ", restartAt.Keys)}");

    var report = $"{artifacts}/soak";
    if (System.IO.Directory.Exists(report)) System.IO.Directory.Delete(report, recursive: true);
    System.IO.Directory.CreateDirectory(report);
    var needed = new HashSet<string>(targets.SelectMany(t => t switch
    {
        "s3" or "rados" => new[] { "ceph" },
        "swift" => new[] { "swift" },
        "azure" => new[] { "azurite" },
        "oss" => new[] { "oss-standin" },
        _ => Array.Empty<string>(),
    }));
    var started = new List<string>();
    var outcomes = new List<(string Target, int Code)>();
    try
    {
        foreach (var service in Services().Where(needed.Contains))
        {
            var env = new Dictionary<string, string> { ["REGSTORE_SERVICES_DIR"] = servicesDir };
            if ((System.IO.File.Exists($"{root}/services/{service}/install.sh") && Exec("bash", $"{root}/services/{service}/install.sh", env).ExitCode != 0)
                || Exec("bash", $"{root}/services/{service}/start.sh", env).ExitCode != 0)
            {
                throw new Exception($"soak: service {service} could not be installed or started");
            }
            started.Add(service);
        }

        var project = $"{root}/tests/Registry.Storage.Reliability.Tests/Registry.Storage.Reliability.Tests.csproj";
        var runs = targets.Select(t =>
        {
            var env = LoadServiceEnvironment();
            env["REGSTORE_SOAK_DURATION"] = duration;
            env["REGSTORE_SOAK_RESTART_AT"] = restartAt[t];
            env["REGSTORE_SOAK_REPORT"] = report;
            if (HasArgument("soak-workers")) env["REGSTORE_SOAK_WORKERS"] = Argument<string>("soak-workers");
            if (HasArgument("soak-max-size")) env["REGSTORE_SOAK_MAX_SIZE"] = Argument<string>("soak-max-size");
            var filter = t == "serve" ? "FullyQualifiedName~RegstoreServeUnderTheLongSoak" : $"FullyQualifiedName~ADriverUnderTheLongSoak&Name~{t}";
            var info = new ProcessStartInfo("bash", new[] { "-c", $"exec dotnet test \"{project}\" -c {configuration} --no-build --filter \"{filter}\" --logger \"console;verbosity=detailed\" > \"{report}/{t}.log\" 2>&1" })
            {
                WorkingDirectory = root,
                UseShellExecute = false,
            };
            foreach (var (key, value) in env) info.Environment[key] = value;
            Information($"soak: {t} for {duration}, restart at {restartAt[t]} of it; log {report}/{t}.log");
            return (Target: t, Process: Process.Start(info));
        }).ToList();
        foreach (var (t, process) in runs)
        {
            process.WaitForExit();
            outcomes.Add((t, process.ExitCode));
        }
    }
    finally
    {
        foreach (var service in Enumerable.Reverse(started))
        {
            Exec("bash", $"{root}/services/{service}/stop.sh", new Dictionary<string, string> { ["REGSTORE_SERVICES_DIR"] = servicesDir });
        }
    }

    var sections = targets.Select(t => $"{report}/{t}.md").Where(System.IO.File.Exists).Select(System.IO.File.ReadAllText);
    System.IO.File.WriteAllText($"{report}/report.md", string.Join("\n", sections));
    foreach (var (t, code) in outcomes)
    {
        Information($"  soak {t,-8} {(code == 0 ? "passed" : $"FAILED (exit {code}; see {report}/{t}.log)")}");
    }
    if (outcomes.Any(o => o.Code != 0)) throw new Exception("soak: a target failed");
});
