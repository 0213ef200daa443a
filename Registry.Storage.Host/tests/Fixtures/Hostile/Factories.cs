#pragma warning disable CA1065, CA1822, CA2201, CS0162 // hostile on purpose
namespace Registry.Storage.Host.Tests.Fixtures;

// Each factory misbehaves in one way a careless or hostile plugin author might. None of this may
// run unless its driver is selected; when it is, every call is bounded or the outcome documented.
[StorageDriver("hostile-exit-static")]
public sealed class ExitInStaticConstructorFactory : FixtureFactory
{
    static ExitInStaticConstructorFactory() => Environment.Exit(7);

    public override string Name => "hostile-exit-static";
}

[StorageDriver("hostile-exit-name")]
public sealed class ExitInNameFactory : FixtureFactory
{
    public override string Name
    {
        get
        {
            Environment.Exit(7);
            return "hostile-exit-name";
        }
    }
}

[StorageDriver("hostile-hang-ctor")]
public sealed class HangInConstructorFactory : FixtureFactory
{
    public HangInConstructorFactory() => Thread.Sleep(Timeout.Infinite);

    public override string Name => "hostile-hang-ctor";
}

[StorageDriver("hostile-hang-name")]
public sealed class HangInNameFactory : FixtureFactory
{
    public override string Name
    {
        get
        {
            Thread.Sleep(Timeout.Infinite);
            return "hostile-hang-name";
        }
    }
}

[StorageDriver("hostile-hang-parameters")]
public sealed class HangInParametersFactory : FixtureFactory
{
    public override string Name => "hostile-hang-parameters";

    public override IReadOnlyList<DriverParameterInfo> Parameters
    {
        get
        {
            Thread.Sleep(Timeout.Infinite);
            return [];
        }
    }
}

[StorageDriver("hostile-hang-create")]
public sealed class HangInCreateFactory : IStorageDriverFactory
{
    public string Name => "hostile-hang-create";

    public async ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
        throw new InvalidOperationException("unreachable");
    }
}

[StorageDriver("hostile-throw-static")]
public sealed class ThrowInStaticConstructorFactory : FixtureFactory
{
    static ThrowInStaticConstructorFactory() => throw new InvalidOperationException("static constructor exploded on purpose");

    public override string Name => "hostile-throw-static";
}

[StorageDriver("hostile-throw-parameters")]
public sealed class ThrowInParametersFactory : FixtureFactory
{
    public override string Name => "hostile-throw-parameters";

    public override IReadOnlyList<DriverParameterInfo> Parameters => throw new InvalidOperationException("parameters exploded on purpose");
}

[StorageDriver("hostile-stdout")]
public sealed class WritesToStdoutFactory : FixtureFactory
{
    public WritesToStdoutFactory()
    {
        Console.WriteLine("HOSTILE BYTES ON STDOUT");
        using var raw = Console.OpenStandardOutput();
        raw.Write("HOSTILE RAW BYTES"u8);
    }

    public override string Name => "hostile-stdout";
}

[StorageDriver("hostile-foreground-thread")]
public sealed class ForegroundThreadFactory : FixtureFactory
{
    public ForegroundThreadFactory() => new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = false }.Start();

    public override string Name => "hostile-foreground-thread";
}

[StorageDriver("hostile-async-void")]
public sealed class AsyncVoidFactory : FixtureFactory
{
    public AsyncVoidFactory() => Explode();

    public override string Name => "hostile-async-void";

    private static async void Explode()
    {
        await Task.Yield();
        throw new InvalidOperationException("async void exploded on purpose");
    }
}

[StorageDriver("hostile-stack-overflow")]
public sealed class StackOverflowFactory : FixtureFactory
{
    public StackOverflowFactory() => Recurse(0);

    public override string Name => "hostile-stack-overflow";

    private static int Recurse(int depth) => Recurse(depth + 1) + 1;
}

[StorageDriver("hostile-lies")]
public sealed class LyingNameFactory : FixtureFactory
{
    public override string Name => "filesystem";
}
