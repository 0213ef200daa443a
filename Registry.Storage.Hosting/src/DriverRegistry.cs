using Registry.Storage.Hosting.Decorators;

namespace Registry.Storage.Hosting;

/// <summary>
/// The driver factory registry (distribution's <c>factory.Register</c>/<c>factory.Create</c>):
/// names map to factories from plugins or in-process registrations; every driver it creates
/// is wrapped in the always-on validation and error-naming decorator.
/// </summary>
public sealed class DriverRegistry
{
    private readonly Dictionary<string, Registration> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>The registered names (aliases included), sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return _factories.Keys.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Registers <paramref name="factory"/> under its name and aliases.</summary>
    /// <param name="factory">The factory.</param>
    /// <param name="source">Where it came from (a plugin folder, "built-in"), for messages.</param>
    /// <exception cref="DuplicateDriverException">A name is already taken; nothing is registered.</exception>
    public void Register(IStorageDriverFactory factory, string source = "in-process")
    {
        ArgumentNullException.ThrowIfNull(factory);
        var names = new[] { factory.Name }.Concat(factory.Aliases).ToArray();
        foreach (var name in names)
        {
            if (!StoragePath.IsValid("/" + name) || name.Contains('.', StringComparison.Ordinal))
            {
                throw new ArgumentException($"driver name '{name}' from {source} must be letters, digits, '-' or '_'", nameof(factory));
            }
        }

        lock (_gate)
        {
            foreach (var name in names)
            {
                if (_factories.TryGetValue(name, out var existing))
                {
                    throw new DuplicateDriverException(name, existing.Source, source);
                }
            }

            foreach (var name in names)
            {
                _factories[name] = new Registration(factory, source);
            }
        }
    }

    /// <summary>The factory registered under <paramref name="name"/>, or <see langword="null"/>.</summary>
    public IStorageDriverFactory? Find(string name)
    {
        lock (_gate)
        {
            return _factories.TryGetValue(name, out var registration) ? registration.Factory : null;
        }
    }

    /// <summary>Creates the driver registered under <paramref name="name"/>, wrapped in validation.</summary>
    /// <exception cref="InvalidStorageDriverException">Nothing is registered under the name; the message lists what is.</exception>
    public async Task<IStorageDriver> CreateAsync(string name, DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        var factory = Find(name) ?? throw new InvalidStorageDriverException(name, Names);
        var driver = await factory.CreateAsync(parameters, cancellationToken).ConfigureAwait(false);
        return driver is ValidatingDriver ? driver : new ValidatingDriver(driver);
    }

    /// <summary>Creates the driver <paramref name="name"/> from raw parameter values.</summary>
    public Task<IStorageDriver> CreateAsync(string name, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken = default)
    {
        var factory = Find(name) ?? throw new InvalidStorageDriverException(name, Names);
        return CreateAsync(name, ParametersFor(factory, parameters), cancellationToken);
    }

    /// <summary>Builds parameters for <paramref name="factory"/>, marking its declared secrets.</summary>
    public static DriverParameters ParametersFor(IStorageDriverFactory factory, IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new DriverParameters(factory.Name, values, factory.Parameters.Where(p => p.Secret).Select(p => p.Name));
    }

    private sealed record Registration(IStorageDriverFactory Factory, string Source);
}

/// <summary>Two factories claim one driver name.</summary>
public sealed class DuplicateDriverException : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public DuplicateDriverException(string name, string firstSource, string secondSource)
        : base($"driver name '{name}' is registered by {firstSource} and again by {secondSource}; the second is skipped")
    {
        DriverName = name;
    }

    /// <summary>The contested name.</summary>
    public string DriverName { get; }
}
