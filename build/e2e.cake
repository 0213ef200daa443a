// Loaded by build.cake (#load "build/e2e.cake", after build/pack.cake); uses root, hostOut and Exec.
// The out-of-tree end-to-end test (tests/e2e/out-of-tree.sh): a driver made from the template
// outside the repository, built against the packed packages, loaded by the published host,
// used through regstore and passed by the conformance runner; a broken variant failing it;
// and the contract versioning rule. Needs `publish` and `pack` first; network only to NuGet.

// Runs the e2e script and returns its own counts (its closing line "N passed, N failed").
(int Passed, int Failed) RunOutOfTreeEndToEnd() =>
    RunEndToEndScript("out-of-tree.sh", $"\"{hostOut}\" \"{PackagesDirectory()}\"");

// The migrate round trip (tests/e2e/migrate-roundtrip.sh): a ~2 GiB registry tree from the
// filesystem driver to s3 (the Ceph RGW) and back with the published regstore, interrupted by
// SIGINT and SIGKILL and resumed, verified. Needs the s3 service's environment (the test
// command's testEnv, or LoadServiceEnvironment() with services/ceph started).
(string Suite, int Passed, int Failed, int Skipped) RunMigrateRoundTrip(IDictionary<string, string> env)
{
    var (passed, failed) = RunEndToEndScript("migrate-roundtrip.sh", $"\"{hostOut}\"", env);
    return ("e2e migrate roundtrip", passed, failed, 0);
}

// The host as packages (tests/e2e/hosting-packages.sh): `dotnet tool install regstore` from the packed
// feed, and samples/StorageWorker built against the Registry.Storage.Hosting package alone.
(string Suite, int Passed, int Failed, int Skipped) RunHostingPackages()
{
    var (passed, failed) = RunEndToEndScript("hosting-packages.sh", $"\"{hostOut}\" \"{PackagesDirectory()}\"");
    return ("e2e hosting packages (tool, sample app)", passed, failed, 0);
}

// regstore serve on every driver under skopeo, replicas on one s3 bucket, a SIGKILL mid-push, and
// interop with Go distribution 2.8.2 both ways (tests/e2e/serve-drivers.sh). Needs the services.
(string Suite, int Passed, int Failed, int Skipped) RunServeDrivers(IDictionary<string, string> env)
{
    var (passed, failed) = RunEndToEndScript("serve-drivers.sh", $"\"{hostOut}\"", env);
    return ("e2e regstore serve on every driver", passed, failed, 0);
}

(int Passed, int Failed) RunEndToEndScript(string script, string arguments, IDictionary<string, string> env = null)
{
    var (code, last) = Exec("bash", $"\"{root}/tests/e2e/{script}\" {arguments}", env, capture: true);
    var match = Regex.Match(last, @"^(\d+) passed, (\d+) failed$");
    if (!match.Success)
    {
        Error($"e2e {script}: the script ended without its summary line (exit {code})");
        return (0, 1);
    }

    var counts = (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    // A script that printed its summary but exited non-zero without failures still counts as one failure.
    return code != 0 && counts.Item2 == 0 ? (counts.Item1, 1) : counts;
}

Task("e2e").IsDependentOn("publish").IsDependentOn("pack").Does(() =>
{
    var (passed, failed) = RunOutOfTreeEndToEnd();
    Information($"out-of-tree e2e: {passed} passed, {failed} failed");
    if (failed > 0)
    {
        throw new Exception($"out-of-tree e2e: {failed} checks failed");
    }
});

// With the services already running (services/ceph/start.sh): ./build.sh e2e-migrate
Task("e2e-migrate").IsDependentOn("publish").Does(() =>
{
    var (suite, passed, failed, _) = RunMigrateRoundTrip(LoadServiceEnvironment());
    Information($"{suite}: {passed} passed, {failed} failed");
    if (failed > 0)
    {
        throw new Exception($"{suite}: {failed} checks failed");
    }
});
