using Registry.Storage.ServerFaults.Tests;

namespace Registry.Storage.Reliability.Tests.LongSoak;

/// <summary>
/// The long soak (<c>./build.sh soak [--duration 30m]</c>; category LongSoak, left out of the test
/// command): per network driver, and through <c>regstore serve</c>, see <see cref="SoakRun"/>.
/// Passes when no read was corrupted, no committed object was lost, nothing cancelled is
/// visible, a failed write is absent or whole, the uploads left on the server are no more than
/// the failed writes (whose discard failed with the server down) and the driver's ListUploads
/// found them all, and memory stayed flat. The figures go to REGSTORE_SOAK_REPORT.
/// </summary>
[TestFixture, Category("LongSoak")]
public sealed class LongSoakTests
{
    [TestCase("s3"), TestCase("swift"), TestCase("azure"), TestCase("oss"), TestCase("rados")]
    public async Task ADriverUnderTheLongSoakLosesAndCorruptsNothingAndLeavesNoUpload(string name)
    {
        await using var target = await DriverSoakTarget.CreateAsync(name, CancellationToken.None);
        await SoakAsync(target, Options);
    }

    [Test]
    public async Task RegstoreServeUnderTheLongSoakLosesAndCorruptsNothingAndLeavesNoUpload()
    {
        var regstore = Environment.GetEnvironmentVariable("REGSTORE_SOAK_REGSTORE") is { Length: > 0 } given ? given : Path.Combine(ServiceScript.Repository, "artifacts", "regstore", "regstore");
        File.Exists(regstore).ShouldBeTrue($"the published host: {regstore} (./build.sh publish)");
        var options = Options;
        await using var target = await RegistrySoakTarget.StartAsync(regstore, options.ReportFolder, CancellationToken.None);
        await SoakAsync(target, options);
    }

    private static SoakOptions Options => SoakOptions.FromEnvironment(ServiceScript.Repository);

    private static async Task SoakAsync(ISoakTarget target, SoakOptions options)
    {
        TestContext.Progress.WriteLine($"{target.Name}: soak of {options.Duration} with {options.Workers} workers");
        var outcome = await SoakRun.RunAsync(target, options, CancellationToken.None);
        var report = SoakReport.Write(target, options, outcome);
        TestContext.Out.WriteLine(report);

        outcome.Corrupted.ShouldBeEmpty("reads that returned other bytes than were committed");
        outcome.Lost.ShouldBeEmpty("committed objects gone");
        outcome.VisibleAfterCancel.ShouldBeEmpty("cancelled or abandoned writes that became visible");
        outcome.WrongAfterFailedWrite.ShouldBeEmpty("failed writes stored other than whole");
        // Each write that did not commit leaves at most one upload: a failed one, or a cancelled one whose
        // in-flight request's outcome was unknown (then the upload stays listed for a purge).
        outcome.Leftovers.Leftovers.ShouldBeLessThanOrEqualTo((int)outcome.FailedWrites + outcome.Leftovers.OfCancelledWrites, $"uploads left on the server: {outcome.Leftovers.Text}");
        outcome.Figures.Get("writes committed").ShouldBeGreaterThan(options.Workers, "the soak committed objects to verify");
        outcome.MemoryVerdict.Flat.ShouldBeTrue($"memory must stay flat: {outcome.MemoryVerdict.Text}");
    }
}
