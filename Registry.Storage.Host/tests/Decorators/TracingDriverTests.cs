using System.Diagnostics;
using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests.Decorators;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class TracingDriverTests : IDisposable
{
    private readonly ActivitySource _source = new("Registry.Storage.Tests." + Guid.NewGuid().ToString("N"));
    private readonly ActivityListener _listener;
    private readonly List<Activity> _stopped = [];

    public TracingDriverTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, _source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (_stopped)
                {
                    _stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }

    [Test]
    public async Task Each_call_gets_a_span_with_driver_operation_and_path()
    {
        var driver = new TracingDriver(await InMemoryPlugin.CreateAsync(), _source);
        await driver.PutContentAsync("/repo/file", new byte[3]);
        await driver.StatAsync("/repo/file");

        _stopped.Select(a => a.DisplayName).ShouldBe(["storage PutContent", "storage Stat"]);
        var stat = _stopped[1];
        stat.GetTagItem("storage.driver").ShouldBe("inmemory");
        stat.GetTagItem("storage.operation").ShouldBe("Stat");
        stat.GetTagItem("storage.path").ShouldBe("/repo/file");
        stat.Status.ShouldBe(ActivityStatusCode.Ok);
    }

    [Test]
    public async Task A_failed_call_sets_error_status_and_type()
    {
        var driver = new TracingDriver(await InMemoryPlugin.CreateAsync(), _source);
        await Should.ThrowAsync<PathNotFoundException>(() => driver.GetContentAsync("/nope"));

        var span = _stopped.ShouldHaveSingleItem();
        span.Status.ShouldBe(ActivityStatusCode.Error);
        span.StatusDescription.ShouldBe("path not found: /nope");
        span.GetTagItem("error.type").ShouldBe(nameof(PathNotFoundException));
        span.Events.ShouldContain(e => e.Name == "exception");
    }

    [Test]
    public async Task Spans_nest_under_the_callers_activity()
    {
        var driver = new TracingDriver(await InMemoryPlugin.CreateAsync(), _source);
        using (var parent = _source.StartActivity("request"))
        {
            await driver.PutContentAsync("/x", new byte[1]);
        }

        var put = _stopped.Single(a => a.DisplayName == "storage PutContent");
        put.Parent.ShouldNotBeNull().DisplayName.ShouldBe("request");
    }
}
