namespace Registry.Storage.Bench.Tests;

public class BenchOptionsTests
{
    [Test]
    public void Full_run_defaults_are_issue_12s_sizes_and_write_into_docs()
    {
        var o = BenchOptions.Parse(["--repo=/r"]);

        o.Quick.ShouldBeFalse();
        (o.Reps, o.DeleteReps, o.Big, o.List, o.Walk, o.Delete, o.Small).ShouldBe((3, 3, "1GiB", 1000, 10000, 10000, 200));
        o.Drivers.ShouldBe(["filesystem", "s3", "rados", "swift", "azure"]);
        o.Out.ShouldBe("/r/docs");
        o.Plugins.ShouldBe("/r/artifacts/regstore/plugins");
        o.ServicesDir.ShouldBe("/r/.services");
        o.Configuration.ShouldBe("Release");
        o.StartServices.ShouldBeTrue();
        o.BigBytes.ShouldBe(1L << 30);
    }

    [Test]
    public void Quick_run_defaults_are_the_smoke_sizes_and_write_into_artifacts()
    {
        var o = BenchOptions.Parse(["--quick", "--repo=/r"]);

        o.Quick.ShouldBeTrue();
        (o.Reps, o.DeleteReps, o.Big, o.List, o.Walk, o.Delete, o.Small).ShouldBe((1, 1, "8MiB", 50, 200, 200, 10));
        o.Out.ShouldBe("/r/artifacts/bench");
        o.BigBytes.ShouldBe(8L << 20);
    }

    [Test]
    public void Every_bench_flag_overrides_its_default_in_either_spelling()
    {
        var o = BenchOptions.Parse([
            "--repo=/r", "--bench-reps=5", "--bench-delete-reps", "2", "--bench-big=64MiB", "--bench-list=10", "--bench-walk=20",
            "--bench-delete=30", "--bench-small=40", "--bench-drivers= s3 ,swift,", "--bench-plugins=/p", "--configuration=Debug",
            "--services-dir=/s", "--no-start-services", "--bench-no-build",
        ]);

        (o.Reps, o.DeleteReps, o.Big, o.List, o.Walk, o.Delete, o.Small).ShouldBe((5, 2, "64MiB", 10, 20, 30, 40));
        o.Drivers.ShouldBe(["s3", "swift"]);
        (o.Plugins, o.Configuration, o.ServicesDir, o.StartServices).ShouldBe(("/p", "Debug", "/s", false));
    }

    [Test]
    public void The_registry_benchmarks_default_to_serve_and_gc_on_10000_blobs_and_can_be_chosen()
    {
        var defaults = BenchOptions.Parse([]);
        defaults.Registry.ShouldBe(["serve", "gc"]);
        defaults.GcBlobs.ShouldBe(10_000);

        var gcOnly = BenchOptions.Parse(["--bench-registry=gc", "--bench-gc-blobs=2000"]);
        gcOnly.Registry.ShouldBe(["gc"]);
        gcOnly.GcBlobs.ShouldBe(2000);

        Should.Throw<ArgumentException>(() => BenchOptions.Parse(["--bench-registry=serve,push"])).Message.ShouldContain("got 'push'");
    }

    [Test]
    public void A_partial_full_run_can_leave_out_the_registry_benchmarks_and_write_its_report_elsewhere()
    {
        var o = BenchOptions.Parse(["--repo=/r", "--bench-registry=none", "--bench-out=/r/artifacts/bench/go-peer"]);

        o.Registry.ShouldBeEmpty();
        o.Out.ShouldBe("/r/artifacts/bench/go-peer");
        o.Quick.ShouldBeFalse();
    }

    [Test]
    public void Delete_repetitions_never_exceed_the_repetitions()
    {
        BenchOptions.Parse(["--bench-reps=2", "--bench-delete-reps=9"]).DeleteReps.ShouldBe(2);
        BenchOptions.Parse(["--bench-reps=2", "--bench-delete-reps=0"]).DeleteReps.ShouldBe(0);
    }

    [Test]
    public void Quick_can_be_given_as_a_boolean_value()
    {
        BenchOptions.Parse(["--quick=true"]).Quick.ShouldBeTrue();
        BenchOptions.Parse(["--quick=false"]).Quick.ShouldBeFalse();
        BenchOptions.Parse(["--quick="]).Quick.ShouldBeTrue();
        Should.Throw<ArgumentException>(() => BenchOptions.Parse(["--quick=maybe"])).Message.ShouldContain("--quick");
    }

    [Test]
    public void The_services_dir_comes_from_the_option_then_REGSTORE_SERVICES_DIR_then_the_repository()
    {
        BenchOptions.Parse(["--repo=/r"], "/env").ServicesDir.ShouldBe("/env");
        BenchOptions.Parse(["--repo=/r", "--services-dir=/opt"], "/env").ServicesDir.ShouldBe("/opt");
        BenchOptions.Parse(["--repo=/r"], "").ServicesDir.ShouldBe("/r/.services");
    }

    [TestCase("--bench-reps=three", "--bench-reps")]
    [TestCase("--bench-big=huge", "--bench-big")]
    [TestCase("--bench-rep=3", "unknown option --bench-rep")]
    [TestCase("--bench-list", "--bench-list needs a value")]
    [TestCase("--bench-reps=0", "at least 1")]
    [TestCase("stray", "unexpected argument 'stray'")]
    public void A_bad_option_is_named(string argument, string message) =>
        Should.Throw<ArgumentException>(() => BenchOptions.Parse([argument])).Message.ShouldContain(message);

    [Test]
    public void The_command_line_in_the_report_reproduces_the_run()
    {
        BenchOptions.Parse(["--quick", "--bench-drivers=s3,swift"]).CommandLine
            .ShouldBe("./build.sh bench --quick --bench-reps=1 --bench-delete-reps=1 --bench-big=8MiB --bench-list=50 --bench-walk=200 --bench-delete=200 --bench-small=10 --bench-drivers=s3,swift");
        BenchOptions.Parse(["--bench-delete-reps=1"]).CommandLine
            .ShouldBe("./build.sh bench --bench-reps=3 --bench-delete-reps=1 --bench-big=1GiB --bench-list=1000 --bench-walk=10000 --bench-delete=10000 --bench-small=200 --bench-drivers=filesystem,s3,rados,swift,azure");
    }
}
