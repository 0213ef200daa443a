namespace Registry.Storage.Bench.Tests;

// The Go peer (bench/go-peer): what its build needs, how it is started, what it answers.
public class GoPeerTests
{
    [Test]
    public void Nothing_is_missing_when_go_and_every_source_folder_exist()
    {
        GoPeer.Missing("/usr/bin/go", "/gopath", _ => true).ShouldBeNull();
    }

    [Test]
    public void A_missing_go_command_and_source_are_named_with_their_Debian_packages()
    {
        var message = GoPeer.Missing(null, "/gopath", p => !p.Contains("aws-sdk-go", StringComparison.Ordinal))!;

        message.ShouldStartWith("the Go peer cannot be built: missing the go command (package golang-go) is not on PATH; ");
        message.ShouldContain("/gopath/src/github.com/aws/aws-sdk-go/aws/session (package golang-github-aws-aws-sdk-go-dev)");
        message.ShouldNotContain("golang-github-docker-distribution-dev");
        message.ShouldEndWith("services/registry-clients/install.sh installs them");
    }

    [Test]
    public void Missing_distribution_source_names_each_driver_file()
    {
        var message = GoPeer.Missing("/usr/bin/go", "/gopath", p => !p.Contains("docker/distribution", StringComparison.Ordinal))!;

        message.ShouldContain("registry/storage/driver/s3-aws/s3.go (package golang-github-docker-distribution-dev)");
        message.ShouldContain("registry/storage/driver/swift/swift.go (package golang-github-docker-distribution-dev)");
        message.ShouldNotContain("golang-go");
    }

    [Test]
    public void Go_is_found_in_the_first_PATH_folder_that_has_it()
    {
        var dir = Directory.CreateTempSubdirectory("bench-gopath-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "go"), "");
            GoPeer.FindGo($"/nonexistent-a:{dir.FullName}:/nonexistent-b").ShouldBe(Path.Combine(dir.FullName, "go"));
            GoPeer.FindGo("/nonexistent-a").ShouldBeNull();
            GoPeer.FindGo(null).ShouldBeNull();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void The_peer_runs_the_drivers_Debian_builds_on_our_bench_root()
    {
        GoPeer.Drivers.Order().ShouldBe(["filesystem", "s3", "swift"]);
        GoPeer.Arguments("swift", "regstore-bench/ab12").ShouldBe(["--driver", "swift", "--root", "regstore-bench/ab12"]);
    }

    // The orchestrator drives the Go peer as it drives DriverBench: READY without a chunk (no
    // bound), then a RESULT line per workload, an ERROR line for a failed one.
    [Test]
    public void A_serve_mode_program_like_the_Go_peer_is_driven_line_by_line()
    {
        const string script = "echo READY; while read -r line; do case \"$line\" in *read*) echo 'ERROR read /go-big';; *) echo 'RESULT base=16474112 peak=16515072 peak_private=5083136 seconds=0.008116672';; esac; done";
        using var peer = new DriverBenchProcess("the Go peer", "bash", ["-c", script], new Dictionary<string, string>());

        var result = peer.Run("--workload write --path /go-big --size 8388608", TimeSpan.FromSeconds(30))!;
        result["seconds"].ShouldBe(0.008116672);
        result["peak_private"].ShouldBe(5083136);
        peer.Bound.ShouldBeNull();

        peer.Run("--workload read --path /go-big", TimeSpan.FromSeconds(30)).ShouldBeNull();
        peer.Problem.ShouldBe("read /go-big");
    }
}
