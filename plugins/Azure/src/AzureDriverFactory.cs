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
    public IReadOnlyList<DriverParameterInfo> Parameters => AzureParameters.Table.Info;

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
