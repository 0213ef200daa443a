using Registry.Storage.Drivers.InMemory;

namespace Registry.Storage.Conformance.Tests;

/// <summary>
/// The suite is only worth something if it fails broken drivers: each case runs one suite
/// test against inmemory (must pass) and against inmemory with one deliberate violation
/// (must fail).
/// </summary>
public class SuiteCatchesBrokenDriversTests
{
    private static readonly WalkCase StartLate = WalkCase.Table.Single(c => c.Name == "start late without from");
    private static readonly WalkCase ErrorPropagates = WalkCase.Table.Single(c => c.Name == "error propagates");

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("walk ignoring the start-after hint", d => new HintIgnoringDriver(d), s => s.Walk(StartLate));
        yield return Case("walk wrapping the visitor's exception", d => new VisitorErrorWrappingDriver(d), s => s.Walk(ErrorPropagates));
        yield return Case("delete by string prefix", d => new PrefixDeletingDriver(d), s => s.DeleteOnlyDeletesSubpaths());
        yield return Case("errors naming another driver", d => new MisnamingDriver(d), s => s.ReadNonexistent());
        yield return Case("missing directory listed as empty", d => new EmptyListingDriver(d), s => s.List());
        yield return Case("ModTime that never advances", d => new FrozenModTimeDriver(d), s => s.StatCall());
        yield return Case("redirect declared but no URL", d => new FalseRedirectDriver(d), s => s.RedirectURL());
        yield return Case("content visible before commit", d => new EagerWriterDriver(d), s => s.UncommittedContent_IsInvisibleUntilCommit());
        yield return Case("read past the end refused", d => new PastEndRefusingDriver(d), s => s.ReaderPastEnd_IsEmpty());
        yield return Case("append where nothing is starts anew", d => new AppendAnywhereDriver(d), s => s.AppendWhereNothingExists_IsPathNotFound());
        yield return Case("delete of a directory keeps its uploads", d => new UploadKeepingDeleteDriver(d), s => s.DeleteDirectory_RemovesUploadsBelow());
        yield return Case("delete of an upload-only path keeps the upload", d => new UploadKeepingDeleteDriver(d), s => s.DeleteOfUploadOnly_IsPathNotFound_AndRemovesTheUpload());
        yield return Case("directory moved", d => new DirectoryMovingDriver(d), s => s.MoveDirectory_IsPathNotFound_AndMovesNothing());
        yield return Case("directory ModTime in the future", d => new FutureDirectoryTimeDriver(d), s => s.DirectoryModTime_IsUnknownOrNotInTheFuture());
        yield return Case("uploads declared listable but none listed", d => new UploadHidingDriver(d), s => s.ListUploads_ShowsAClosedUpload_WhereItIs_WithItsSize());
        yield return Case("uploads listed by string prefix", d => new PrefixUploadListingDriver(d), s => s.ListUploads_ShowsAClosedUpload_WhereItIs_WithItsSize());
        yield return Case("committed and cancelled uploads still listed", d => new StaleUploadListingDriver(d), s => s.ListUploads_OmitsCommittedAndCancelledUploads());
        yield return Case("uploads listed while declared unsupported", d => new UndeclaredUploadListingDriver(d), s => s.ListUploads_IsSupportedExactlyAsDeclared());
        yield return Case("discarding an upload deletes the committed file", d => new CommittedContentDiscardingDriver(d), s => s.DiscardingAnUploadOverCommittedContent_KeepsTheContent());
        yield return Case("resumable declared over a private store", _ => new OverclaimedResumeDriver(PrivateStore()), s => s.ClosedWriter_ResumesFromNewDriverInstance());
        yield return Case("not resumable declared, yet a new instance resumes", d => new UnderclaimedResumeDriver(d), s => s.ClosedWriter_ResumesFromNewDriverInstance());
    }

    // The resume tests as issue 18 item 4 saw them fail: inmemory without a named store.
    private static IEnumerable<TestCaseData> ResumeTests()
    {
        yield return ResumeTest(nameof(StorageDriverConformance.ClosedWriter_ResumesFromNewDriverInstance), s => s.ClosedWriter_ResumesFromNewDriverInstance());
        yield return ResumeTest(nameof(StorageDriverConformance.UncommittedContent_IsInvisibleUntilCommit), s => s.UncommittedContent_IsInvisibleUntilCommit());
        yield return ResumeTest(nameof(StorageDriverConformance.Cancel_AfterResume_DiscardsInheritedContent), s => s.Cancel_AfterResume_DiscardsInheritedContent());
        yield return ResumeTest(nameof(StorageDriverConformance.ContinueStreamAppendSmall), s => s.ContinueStreamAppendSmall());
        yield return ResumeTest(nameof(StorageDriverConformance.DeleteDirectory_RemovesUploadsBelow), s => s.DeleteDirectory_RemovesUploadsBelow());
        yield return ResumeTest(nameof(StorageDriverConformance.DeleteOfUploadOnly_IsPathNotFound_AndRemovesTheUpload), s => s.DeleteOfUploadOnly_IsPathNotFound_AndRemovesTheUpload());
        yield return ResumeTest(nameof(StorageDriverConformance.ListUploads_ShowsAClosedUpload_WhereItIs_WithItsSize), s => s.ListUploads_ShowsAClosedUpload_WhereItIs_WithItsSize());
        yield return ResumeTest(nameof(StorageDriverConformance.ListUploads_OmitsCommittedAndCancelledUploads), s => s.ListUploads_OmitsCommittedAndCancelledUploads());
        yield return ResumeTest(nameof(StorageDriverConformance.DiscardingAnUploadOverCommittedContent_KeepsTheContent), s => s.DiscardingAnUploadOverCommittedContent_KeepsTheContent());
    }

    private static TestCaseData ResumeTest(string name, Func<SuiteHarness, Task> test) => new TestCaseData(test).SetArgDisplayNames(name);

    private static InMemoryDriver PrivateStore() => new(new InMemoryParameters("", StoreName: null));

    private static TestCaseData Case(string name, Func<IStorageDriver, IStorageDriver> breakIt, Func<SuiteHarness, Task> test) =>
        new TestCaseData(breakIt, test).SetArgDisplayNames(name);

    /// <summary>The suite test passes against the correct driver and fails against the broken one.</summary>
    [TestCaseSource(nameof(Cases))]
    public async Task PassesCorrectDriver_FailsBrokenDriver(Func<IStorageDriver, IStorageDriver> breakIt, Func<SuiteHarness, Task> test)
    {
        await SuiteHarness.RunAsync(null, test);

        // An assertion or the driver error the suite provoked: either way the test fails.
        var failure = await CaptureFailureAsync(() => SuiteHarness.RunAsync(breakIt, test));
        failure.ShouldNotBeNull("the suite passed a driver that breaks the contract");
        TestContext.Out.WriteLine($"the suite failed the broken driver with {failure.GetType().Name}: {failure.Message}");
    }

    /// <summary>
    /// inmemory without a named store declares <c>ResumableWrites = false</c> (its store goes
    /// with the instance), and the resume tests pass it by checking that meaning: a new instance
    /// finds nothing to resume (issue 18 item 4).
    /// </summary>
    [TestCaseSource(nameof(ResumeTests))]
    public async Task PrivateStoreInMemory_PassesTheResumeTests_AsDeclared(Func<SuiteHarness, Task> test)
    {
        PrivateStore().Capabilities.ResumableWrites.ShouldBeFalse();
        await SuiteHarness.RunAsync(_ => PrivateStore(), test);
    }

    // The upload-listing tests, as a driver built against contract 1.1 meets them.
    private static IEnumerable<TestCaseData> UploadListingTests()
    {
        yield return ResumeTest(nameof(StorageDriverConformance.ListUploads_ShowsAClosedUpload_WhereItIs_WithItsSize), s => s.ListUploads_ShowsAClosedUpload_WhereItIs_WithItsSize());
        yield return ResumeTest(nameof(StorageDriverConformance.ListUploads_OmitsCommittedAndCancelledUploads), s => s.ListUploads_OmitsCommittedAndCancelledUploads());
        yield return ResumeTest(nameof(StorageDriverConformance.DiscardingAnUploadOverCommittedContent_KeepsTheContent), s => s.DiscardingAnUploadOverCommittedContent_KeepsTheContent());
        yield return ResumeTest(nameof(StorageDriverConformance.ListUploads_IsSupportedExactlyAsDeclared), s => s.ListUploads_IsSupportedExactlyAsDeclared());
    }

    /// <summary>
    /// A driver that cannot list its uploads (a 1.1 plugin: the default member, the capability
    /// left false) passes the upload-listing tests by saying so with UnsupportedMethodException.
    /// </summary>
    [TestCaseSource(nameof(UploadListingTests))]
    public async Task DriverWithoutUploadListing_PassesTheListingTests_AsDeclared(Func<SuiteHarness, Task> test) =>
        await SuiteHarness.RunAsync(d => new NoUploadListingDriver(d), test);

    /// <summary>
    /// TearDown (distribution's TearDownTest) fails a test that leaves files under <c>/</c>,
    /// and removes them so the next test starts clean.
    /// </summary>
    [Test]
    public async Task TearDown_FailsOnLeftovers_AndCleansThemUp()
    {
        var suite = new SuiteHarness(null);
        await suite.CreateRootAsync();
        await suite.CreateTestDriverAsync();
        var driver = suite.CurrentDriver;
        await driver.PutContentAsync("/left/behind", new byte[] { 1, 2, 3 });

        var failure = await CaptureFailureAsync(suite.CheckNothingLeftBehindAsync);
        failure.ShouldBeOfType<ShouldAssertException>().Message.ShouldContain("/left");

        await suite.CreateTestDriverAsync();
        (await suite.CurrentDriver.ListSortedAsync(StoragePath.Root)).ShouldBeEmpty();
        await suite.CheckNothingLeftBehindAsync();
    }

    /// <summary>TearDown also fails a test that leaves an upload behind (where the driver lists uploads), and discards it.</summary>
    [Test]
    public async Task TearDown_FailsOnLeftoverUploads_AndDiscardsThem()
    {
        var suite = new SuiteHarness(null);
        await suite.CreateRootAsync();
        await suite.CreateTestDriverAsync();
        var writer = await suite.CurrentDriver.WriterAsync("/left/upload", append: false);
        await writer.WriteAsync(new byte[] { 1, 2, 3 });
        await writer.DisposeAsync();

        var failure = await CaptureFailureAsync(suite.CheckNothingLeftBehindAsync);
        failure.ShouldBeOfType<ShouldAssertException>().Message.ShouldContain("/left/upload");

        await suite.CreateTestDriverAsync();
        var uploads = new List<PendingUpload>();
        await foreach (var upload in suite.CurrentDriver.ListUploadsAsync(StoragePath.Root))
        {
            uploads.Add(upload);
        }

        uploads.ShouldBeEmpty();
        await suite.CheckNothingLeftBehindAsync();
    }

    // Shouldly's Should.Throw rethrows assertion failures raised inside the delegate, so a
    // suite failure is caught by hand.
    private static async Task<Exception?> CaptureFailureAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }
}
