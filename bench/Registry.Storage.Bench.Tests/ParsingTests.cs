namespace Registry.Storage.Bench.Tests;

// What the bench reads from its child processes and from the services' .env files.
public class ParsingTests
{
    [Test]
    public void DriverBench_RESULT_line_gives_its_figures()
    {
        DriverBenchProcess.ParseResult("RESULT seconds=1.5 bytes=8388608 peak=1E+08").ShouldBe(new Dictionary<string, double>
        {
            ["seconds"] = 1.5, ["bytes"] = 8388608, ["peak"] = 1e8,
        });
    }

    // bench/go-peer prints its keys sorted, numbers in plain decimal (strconv 'f', -1).
    [Test]
    public void Go_peer_RESULT_line_gives_its_figures()
    {
        DriverBenchProcess.ParseResult("RESULT count=10 get_ops=43704.383549670034 put_ops=369.2165822256036").ShouldBe(new Dictionary<string, double>
        {
            ["count"] = 10, ["get_ops"] = 43704.383549670034, ["put_ops"] = 369.2165822256036,
        });
    }

    [Test]
    public void Peer_wall_time_is_the_difference_of_the_two_stamps_even_with_a_decimal_comma()
    {
        PeerRunner.WallSeconds("1700000000.250000 1700000002.750000\n").ShouldBe(2.5, 1e-6);
        PeerRunner.WallSeconds("1700000000,5 1700000001,0").ShouldBe(0.5, 1e-6);
    }

    [Test]
    public void Peer_peak_is_GNU_times_maximum_resident_set_in_bytes_from_its_last_line()
    {
        PeerRunner.PeakBytes(["12.34 2048"]).ShouldBe(2048L * 1024);
        PeerRunner.PeakBytes(["Command exited with non-zero status 1", "0.01 3000"]).ShouldBe(3000L * 1024);
    }

    [Test]
    public void Azure_SDK_peer_phases_give_upload_and_download_seconds_and_the_upload_peak()
    {
        string[] lines =
        [
            "size 8 MiB, rounds 1, block 4 MiB, concurrency 8, 2 cores, .NET 10.0.0",
            $"{"sdk upload (staged blocks, parallel)",-40} {1.25,7:F2} s {6.4,8:F1} MiB/s  peak 129 MiB (+64 MiB)",
            $"{"sdk download (ranged, parallel)",-40} {0.50,7:F2} s {16.0,8:F1} MiB/s  peak 140 MiB (+11 MiB)",
        ];

        PeerRunner.ParseAzureSdk(lines).ShouldBe((1.25, 0.5, 129L << 20));
    }

    [Test]
    public void Service_env_files_give_their_variables_without_comments_or_quotes()
    {
        ServiceControl.ReadEnvFile(["# ceph", "REGSTORE_TEST_S3_BUCKET=\"bench\"", " KEY = a=b ", "=no key", "no equals"])
            .ShouldBe([("REGSTORE_TEST_S3_BUCKET", "bench"), ("KEY", "a=b")]);
    }

    [Test]
    public void Rclone_peers_get_their_remote_from_the_environment()
    {
        var env = new Dictionary<string, string> { ["REGSTORE_TEST_S3_BUCKET"] = "b", ["REGSTORE_TEST_S3_ACCESSKEY"] = "ak", ["REGSTORE_TEST_S3_REGIONENDPOINT"] = "http://rgw" };

        var peer = PeerTool.For("s3", "regstore-bench/x", env)!;

        peer.Name.ShouldBe("rclone (s3)");
        peer.Read!("peer-big").ShouldBe("env -u AWS_CA_BUNDLE rclone -q cat 'rgw:b/regstore-bench/x/peer-big' > /dev/null");
        env["RCLONE_CONFIG_RGW_ACCESS_KEY_ID"].ShouldBe("ak");
        env["RCLONE_CONFIG_RGW_ENDPOINT"].ShouldBe("http://rgw");
        peer.Write!("peer-big", 1).ShouldNotContain("ak"); // no secret on a command line
    }

    [Test]
    public void Rados_peer_stripes_by_64_MiB_and_has_only_the_stream_figures()
    {
        var peer = PeerTool.For("rados", "regstore-bench/x", new Dictionary<string, string>())!;

        peer.Write!("peer-big", 130L << 20).ShouldStartWith("for i in $(seq 0 2); do head -c 67108864 /dev/zero |");
        peer.Read!("peer-big").ShouldStartWith("for i in $(seq 0 2); do rados");
        (peer.Move, peer.List, peer.Walk, peer.Delete).ShouldBe((null, null, null, null));
    }

    [TestCase("azure")]
    [TestCase("oss")]
    public void Drivers_without_a_command_line_peer_get_none(string driver) =>
        PeerTool.For(driver, "x", new Dictionary<string, string>()).ShouldBeNull();
}
