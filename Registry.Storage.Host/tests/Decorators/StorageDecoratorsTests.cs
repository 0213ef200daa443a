using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Registry.Storage.Hosting.Configuration;
using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Kit;

namespace Registry.Storage.Host.Tests.Decorators;

public class StorageDecoratorsTests
{
    private static string WriteConfig(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), "regstore-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(file, yaml);
        return file;
    }

    /// <summary>Options switching every decorator on (the CloudFront key from <paramref name="rsa"/>).</summary>
    internal static DecoratorOptions EveryDecorator(RSA rsa) => new()
    {
        Retry = new RetryOptions(),
        Timeout = TimeSpan.FromSeconds(30),
        MaxConcurrency = 8,
        Faults = new FaultInjectionOptions(),
        RedirectBaseUrl = new Uri("https://cdn.example.com/"),
        Rewrite = new RewriteOptions("https"),
        CloudFront = new CloudFrontOptions(new Uri("https://d.cloudfront.net/"), rsa.ExportRSAPrivateKeyPem(), "K1", TimeSpan.FromMinutes(20)),
    };

    private static List<Type> Chain(IStorageDriver driver)
    {
        var types = new List<Type>();
        for (var d = driver; d is DelegatingStorageDriver delegating; d = delegating.Inner)
        {
            types.Add(d.GetType());
        }

        return types;
    }

    [Test]
    public async Task Apply_composes_every_decorator_in_the_documented_order()
    {
        using var rsa = RSA.Create(2048);
        var options = EveryDecorator(rsa);

        var driver = StorageDecorators.Apply(await InMemoryPlugin.CreateAsync(), options);

        Chain(driver).ShouldBe([
            typeof(LoggingDriver), typeof(TracingDriver), typeof(MetricsDriver),
            typeof(RewriteMiddleware), typeof(RedirectMiddleware), typeof(CloudFrontMiddleware),
            typeof(RetryDriver), typeof(TimeoutDriver), typeof(ConcurrencyLimitDriver), typeof(FaultInjectionDriver),
            typeof(ValidatingDriver)]);
        await driver.PutContentAsync("/through/all", new byte[] { 9 });
        (await driver.GetContentAsync("/through/all")).ShouldBe(new byte[] { 9 });
    }

    [Test]
    public async Task ListUploads_goes_through_every_decorator_and_logging_tracing_and_metrics_see_it()
    {
        using var rsa = RSA.Create(2048);
        var options = EveryDecorator(rsa);
        var path = "/uploads-" + Guid.NewGuid().ToString("N");
        var tree = new TestTree("s3");
        var log = new ListLogger();
        using var meter = new Meter("Registry.Storage.Tests." + Guid.NewGuid().ToString("N"));
        var operations = new List<string?>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == StorageTelemetry.Operations)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) => operations.Add(tags.ToArray().Single(t => t.Key == "operation").Value as string));
        meters.Start();
        var spans = new List<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == StorageTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if ((a.GetTagItem("storage.path") as string) == path)
                {
                    lock (spans)
                    {
                        spans.Add(a.DisplayName);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        var driver = StorageDecorators.Apply(new ValidatingDriver(tree), options, log, null, meter);
        var uploads = new List<PendingUpload>();
        await foreach (var upload in driver.ListUploadsAsync(path))
        {
            uploads.Add(upload);
        }

        uploads.ShouldBe([new PendingUpload(path + "/upload", 7, DateTimeOffset.UnixEpoch)]);
        driver.Capabilities.ListUploads.ShouldBeTrue("the capability passes every decorator");
        tree.Calls.ShouldBe([$"ListUploads {path}"]);
        log.Entries.ShouldContain(e => e.Message.StartsWith($"s3 ListUploads {path} took ", StringComparison.Ordinal));
        operations.ShouldBe(["ListUploads"]);
        spans.ShouldBe(["storage ListUploads"]);
    }

    [Test]
    public async Task Defaults_are_logging_tracing_and_metrics_only()
    {
        var driver = StorageDecorators.Apply(await InMemoryPlugin.CreateAsync(), DecoratorOptions.Default);
        Chain(driver).ShouldBe([typeof(LoggingDriver), typeof(TracingDriver), typeof(MetricsDriver), typeof(ValidatingDriver)]);
    }

    [Test]
    public void Distributions_middleware_shape_at_the_root_configures_decorators_by_name()
    {
        using var rsa = RSA.Create(2048);
        var keyFile = Path.GetTempFileName();
        File.WriteAllText(keyFile, rsa.ExportRSAPrivateKeyPem());
        var config = StorageConfiguration.Build(WriteConfig($"""
            storage:
              s3:
                bucket: b
                rootdirectory: /reg
            middleware:
              storage:
                - name: cloudfront
                  options:
                    baseurl: d111.cloudfront.net
                    privatekey: {keyFile}
                    keypairid: K1
                    duration: 3000s
                - name: retry
                  options:
                    maxretries: 5
                    delay: 50ms
                - name: maxthreads
                  options:
                    maxthreads: 25
                - name: metrics
                  disabled: true
            """));

        var options = MiddlewareConfiguration.Read(config);

        options.CloudFront.ShouldNotBeNull().BaseUrl.ShouldBe(new Uri("https://d111.cloudfront.net/"));
        options.CloudFront.Duration.ShouldBe(TimeSpan.FromSeconds(3000));
        options.CloudFront.RootDirectory.ShouldBe("/reg");
        options.Retry.ShouldBe(new RetryOptions(5, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10)));
        options.MaxConcurrency.ShouldBe(25);
        options.Metrics.ShouldBeFalse();
        options.Logging.ShouldBeTrue();
        StorageConfiguration.Select(config)!.DriverName.ShouldBe("s3");
    }

    [Test]
    public void A_middleware_list_inside_the_storage_section_works_too()
    {
        var config = StorageConfiguration.Build(WriteConfig("""
            storage:
              inmemory:
              middleware:
                - name: redirect
                  options:
                    baseurl: https://cdn.example.com/base
                - name: timeout
                  options:
                    timeout: 30s
                - name: faultinjection
                  options:
                    errorrate: 0.25
                    truncatereads: 0.5
                    seed: 3
            """));

        var options = MiddlewareConfiguration.Read(config);

        options.RedirectBaseUrl.ShouldBe(new Uri("https://cdn.example.com/base"));
        options.Timeout.ShouldBe(TimeSpan.FromSeconds(30));
        options.Faults.ShouldBe(new FaultInjectionOptions(0.25, TimeSpan.Zero, 0.5, 3));
    }

    [TestCase("- name: cdn", "middleware: parameter 'name' has invalid value cdn: expected one of logging, metrics, tracing, retry, timeout, maxthreads, faultinjection, redirect, rewrite, cloudfront")]
    [TestCase("- name: retry\n    options:\n      maxretrys: 3", "middleware retry: parameter 'maxretrys' has invalid value (unknown parameter): expected one of the parameters this driver understands: delay, maxdelay, maxretries")]
    [TestCase("- name: redirect\n    options:\n      baseurl: /relative", "middleware redirect: parameter 'baseurl' has invalid value \"/relative\": expected an absolute URL with a scheme and a host")]
    [TestCase("- name: faultinjection\n    options:\n      errorrate: 2", "middleware faultinjection: parameter 'errorrate' has invalid value \"2\": expected a probability between 0 and 1")]
    [TestCase("- name: cloudfront\n    options:\n      baseurl: https://d.net/\n      keypairid: K\n      privatekey: /no/such/key.pem", "middleware cloudfront: parameter 'privatekey' has invalid value (secret, hidden): expected a PEM RSA private key or the path of an existing file holding one")]
    [TestCase("- name: maxthreads", "middleware maxthreads: parameter 'maxthreads' is required: expected an integer of at least 1")]
    public void Bad_middleware_configuration_fails_naming_the_middleware_and_what_is_allowed(string entry, string message)
    {
        var config = StorageConfiguration.Build(WriteConfig("middleware:\n  storage:\n  " + entry + "\n"));
        Should.Throw<InvalidParameterException>(() => MiddlewareConfiguration.Read(config)).Message.ShouldBe(message);
    }
}
