using Azure;

namespace Registry.Storage.Drivers.Azure;

/// <summary>Registers the <c>azure</c> driver (distribution's name and parameters).</summary>
[StorageDriver(AzureDriverFactory.DriverName)]
public sealed class AzureDriverFactory : IStorageDriverFactory
{
    /// <summary>The registered name.</summary>
    public const string DriverName = "azure";

    /// <inheritdoc />
    public string Name => DriverName;

    /// <inheritdoc />
    public IReadOnlyList<DriverParameterInfo> Parameters { get; } =
    [
        new(AzureParameters.Names.AccountName, "string", "The storage account's name.") { Required = true },
        new(AzureParameters.Names.AccountKey, "string", "The account's key; implies credentials type shared_key.") { Secret = true },
        new(AzureParameters.Names.Container, "string", "The blob container holding all registry data; created when missing.") { Required = true },
        new(AzureParameters.Names.Credentials, "map", "type (shared_key, client_secret, default_credentials), clientid, tenantid, secret.") { Secret = true },
        new(AzureParameters.Names.ConnectionString, "string", "An Azure Storage connection string, used when no account key or credentials are given.") { Secret = true },
        new(AzureParameters.Names.Realm, "string", "The endpoint domain suffix.") { Default = AzureParameters.DefaultRealm },
        new(AzureParameters.Names.ServiceUrl, "string", "The blob endpoint.") { Default = "https://{accountname}.blob.{realm}" },
        new(AzureParameters.Names.RootDirectory, "string", "A prefix applied to every blob name.") { Default = "" },
        new(AzureParameters.Names.MaxRetries, "int", "Polls of a pending server-side copy before Move aborts it; -1 aborts at once.") { Default = "5" },
        new(AzureParameters.Names.RetryDelay, "duration", "Base delay between copy polls; poll n waits n times this.") { Default = "100ms" },
        new(AzureParameters.Names.SkipVerify, "bool", "Skip TLS certificate verification (test endpoints only).") { Default = "false" },
        new(AzureParameters.Names.ChunkSize, "size", "The writer's block size (not in distribution, which uses 4 MiB appends).") { Default = "4MiB" },
        new(AzureParameters.Names.MaxConcurrency, "int", "Blocks a writer stages at once, and blobs Delete removes at once (not in distribution).") { Default = "8" },
    ];

    /// <inheritdoc />
    public async ValueTask<IStorageDriver> CreateAsync(DriverParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var parsed = AzureParameters.Parse(parameters);
        var context = new AzureContext(DriverName, parsed, AzureAuth.Create(parsed), parameters.TimeProvider);
        try
        {
            await context.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 403)
        {
            // Credentials scoped to the container's data may not create containers; the
            // first real operation reports a missing container as PathNotFound.
        }
        catch (Exception ex) when (AzureErrors.ShouldMap(ex))
        {
            throw AzureErrors.Backend(DriverName, $"create container {parsed.Container} at {context.Container.Uri.GetLeftPart(UriPartial.Authority)}", null, ex);
        }

        return new AzureDriver(context);
    }
}
