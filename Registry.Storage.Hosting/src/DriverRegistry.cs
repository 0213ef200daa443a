using Registry.Storage.Hosting.Decorators;
using Registry.Storage.Hosting.Plugins;

namespace Registry.Storage.Hosting;

/// <summary>
/// The driver factory registry (distribution's <c>factory.Register</c>/<c>factory.Create</c>):
/// names map to in-process registrations and, through a <see cref="PluginCatalog"/>, to plugin
/// folders that are loaded only when one of their drivers is asked for. Every driver it creates
/// is wrapped in the always-on validation and error-naming decorator.
/// </summary>
/// <param name="catalog">Plugins found by discovery, loaded on demand; null for in-process registrations only.</param>
/// <param name="activator">Loads a plugin from the catalog; defaults to one with the catalog's options.</param>
public sealed class DriverRegistry(PluginCatalog? catalog = null, PluginActivator? activator = null)
{
    private readonly Dictionary<string, Registration> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Task<IStorageDriverFactory>> _activations = new(StringComparer.OrdinalIgnoreCase);
    private readonly PluginActivator? _activator = catalog is null ? null : activator ?? new PluginActivator(catalog.Options);
    private readonly Lock _gate = new();

    /// <summary>The plugins this registry loads from on demand, or null.</summary>
    public PluginCatalog? Catalog => catalog;

    /// <summary>The registered names (aliases included) and the names plugins serve, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return _factories.Keys.Concat(catalog?.Names ?? []).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>
    /// The factory for <paramref name="name"/>: an in-process registration, else the plugin that
    /// serves it, loaded now (once) with every call bounded.
    /// </summary>
    /// <exception cref="InvalidStorageDriverException">Nothing serves the name; the message lists what does.</exception>
    /// <exception cref="PluginLoadException">The plugin serving the name is refused, broken or too slow; the message names its folder.</exception>
    public Task<IStorageDriverFactory> GetFactoryAsync(string name, CancellationToken cancellationToken = default)
    {
        if (Find(name) is { } registered)
        {
            return Task.FromResult(registered);
        }

        lock (_gate)
        {
            if (_activations.TryGetValue(name, out var activation) && !activation.IsFaulted && !activation.IsCanceled)
            {
                return activation;
            }

            activation = ActivateAsync(name, cancellationToken);
            _activations[name] = activation;
            return activation;
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

    /// <summary>The factory registered in-process under <paramref name="name"/> (plugins are not loaded by this), or <see langword="null"/>.</summary>
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
        var factory = await GetFactoryAsync(name, cancellationToken).ConfigureAwait(false);
        var driver = await factory.CreateAsync(parameters, cancellationToken).ConfigureAwait(false);
        return driver is ValidatingDriver ? driver : new ValidatingDriver(driver);
    }

    /// <summary>Creates the driver <paramref name="name"/> from raw parameter values.</summary>
    public async Task<IStorageDriver> CreateAsync(string name, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken = default)
    {
        var factory = await GetFactoryAsync(name, cancellationToken).ConfigureAwait(false);
        return await CreateAsync(name, ParametersFor(factory, parameters), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds parameters for <paramref name="factory"/>, marking its declared secrets.</summary>
    public static DriverParameters ParametersFor(IStorageDriverFactory factory, IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new DriverParameters(factory.Name, values, factory.Parameters.Where(p => p.Secret).Select(p => p.Name));
    }

    private async Task<IStorageDriverFactory> ActivateAsync(string name, CancellationToken cancellationToken)
    {
        if (catalog is null || _activator is null)
        {
            throw new InvalidStorageDriverException(name, Names);
        }

        if (catalog.Find(name) is { } found)
        {
            return await _activator.ActivateAsync(found.Plugin, found.Driver, cancellationToken).ConfigureAwait(false);
        }

        if (catalog.PinnedUndeclared(name) is { } undeclared)
        {
            var factories = await _activator.ActivateUndeclaredAsync(undeclared, cancellationToken).ConfigureAwait(false);
            return factories.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase) || f.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase))
                ?? throw new PluginLoadException(undeclared.Folder, $"pinned to driver '{name}', but its factories are named {string.Join(", ", factories.Select(f => f.Name))}");
        }

        if (catalog.WhyNot(name) is { } why)
        {
            throw new PluginLoadException(catalog.Directory, why);
        }

        throw new InvalidStorageDriverException(name, Names);
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
