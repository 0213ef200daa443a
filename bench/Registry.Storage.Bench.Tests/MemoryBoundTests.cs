namespace Registry.Storage.Bench.Tests;

public class MemoryBoundTests
{
    [TestCase("filesystem", 64)]
    [TestCase("s3", 114)]
    [TestCase("rados", 84)]
    [TestCase("swift", 164)]
    [TestCase("azure", 100)]
    [TestCase("inmemory", 64)]
    public void Default_target_is_chunk_times_concurrency_plus_one_plus_64_MiB(string driver, double target) =>
        MemoryBound.DefaultFor(driver).TargetMiB.ShouldBe(target);

    [Test]
    public void The_note_states_the_rule_with_the_configured_figures()
    {
        new MemoryBound(10L << 20, 4).Note.ShouldBe("target ≤ 114 MiB (chunk 10 MiB × (4+1) + 64 MiB)");
        new MemoryBound(0, 0).Note.ShouldBe("target ≤ 64 MiB (no chunk buffers + 64 MiB)");
    }

    [Test]
    public void A_part_of_a_MiB_is_dropped_after_multiplying()
    {
        // 3 × 1.5 MiB = 4.5 MiB → 4 MiB + 64.
        new MemoryBound(3L << 19, 2).TargetMiB.ShouldBe(68);
    }

    [Test]
    public void DriverBench_READY_line_gives_the_configured_bound()
    {
        DriverBenchProcess.ParseReady("READY chunk=20971520 concurrency=4").ShouldBe(new MemoryBound(20L << 20, 4));
        DriverBenchProcess.ParseReady("READY chunk=0 concurrency=0").ShouldBe(new MemoryBound(0, 0));
        DriverBenchProcess.ParseReady("READY").ShouldBeNull();
    }
}
