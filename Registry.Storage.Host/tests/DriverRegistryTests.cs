using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Host.Tests;

public class DriverRegistryTests
{
    private sealed class NamedFactory(string name, params string[] aliases) : IStorageDriverFactory
    {
        public string Name => name;

        public IReadOnlyList<string> Aliases => aliases;

        public IReadOnlyList<DriverParameterInfo> Parameters => [new("secretkey", "string", "a secret") { Secret = true }];

        public DriverParameters? LastParameters { get; private set; }

        public ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
        {
            LastParameters = parameters;
            return ValueTask.FromResult<IStorageDriver>(new TestTree(Name));
        }
    }

    [Test]
    public void Unknown_name_lists_what_is_registered()
    {
        var registry = new DriverRegistry();
        registry.Register(new NamedFactory("s3", "s3aws"));
        var error = Should.Throw<InvalidStorageDriverException>(() => registry.CreateAsync("gcs", new Dictionary<string, object?>()));
        error.Message.ShouldBe("gcs: no storage driver is registered under this name; registered: s3, s3aws");
        error.RegisteredNames.ShouldBe(["s3", "s3aws"]);
    }

    [Test]
    public void Duplicate_names_are_refused_without_registering_anything()
    {
        var registry = new DriverRegistry();
        registry.Register(new NamedFactory("s3"), "plugin 's3'");
        var error = Should.Throw<DuplicateDriverException>(() => registry.Register(new NamedFactory("minio", "s3"), "plugin 'minio'"));
        error.Message.ShouldContain("registered by plugin 's3' and again by plugin 'minio'");
        registry.Names.ShouldBe(["s3"]);
    }

    [Test]
    public async Task Created_drivers_are_wrapped_in_validation_and_get_declared_secrets()
    {
        var registry = new DriverRegistry();
        var factory = new NamedFactory("test");
        registry.Register(factory);
        var driver = await registry.CreateAsync("TEST", new Dictionary<string, object?> { ["SecretKey"] = "hunter2" });
        driver.ShouldBeOfType<ValidatingDriver>();
        factory.LastParameters!.IsSecret("secretkey").ShouldBeTrue();
        factory.LastParameters.Show("secretkey").ShouldBe("******");
    }

    [Test]
    public void Driver_names_must_be_simple() =>
        Should.Throw<ArgumentException>(() => new DriverRegistry().Register(new NamedFactory("../evil")));
}
