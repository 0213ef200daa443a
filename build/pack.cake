// Loaded by build.cake (#load "build/pack.cake"); uses its root, artifacts and configuration.
// ./build.sh pack → artifacts/packages: the NuGet packages a third party builds a driver with.
//   Registry.Storage.Abstractions  the contract a driver references (Private=false, ExcludeAssets=runtime)
//   Registry.Storage.Conformance   the abstract NUnit fixture a driver's test project subclasses
//   Registry.Storage.Hosting       the host as a library (plugins, trust, configuration, decorators, DI)
//   regstore                       the host as a .NET tool (dotnet tool install regstore --add-source ...)
//   regstore-conformance           the conformance runner and driver benchmarks as a .NET tool
//   Registry.Storage.Drivers.<Name> each of the seven drivers as a library, for applications that link
//                                  a driver directly (services.AddRegistryStorageDriver<S3DriverFactory>())
//   Registry.Storage.Templates     dotnet new regstore-driver, defaulting to this build's packages
// Versions: Directory.Build.props' <Version> plus a prerelease suffix per build (1.1.0-build.20261206063000),
// so a local feed never serves a stale package of the same SemVer from the NuGet cache; --package-version
// sets it outright (a release). The version packed is written to artifacts/packages/version.txt. Pack compiles the packed projects itself
// with ContinuousIntegrationBuild (deterministic, checkout-path-independent assemblies and PDBs):
// packing twice from the same commit gives identical assemblies. Every package carries its
// README and the Apache-2.0 LICENSE, XML docs, and a .snupkg with the symbols.

// Functions rather than top-level variables: #load'ed code may sit above build.cake's variables.
string PackagesDirectory() => $"{artifacts}/packages";

// The drivers, packed as libraries: the contract becomes an ordinary dependency (plugins/Directory.Build.props).
IEnumerable<string> DriverLibraries() =>
    System.IO.Directory.GetFiles($"{root}/plugins", "Registry.Storage.Drivers.*.csproj", SearchOption.AllDirectories)
        .Where(p => System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(p)) == "src")
        .OrderBy(p => p, StringComparer.Ordinal);

string BaseVersion() =>
    System.Text.RegularExpressions.Regex.Match(System.IO.File.ReadAllText($"{root}/Directory.Build.props"), "<Version>([^<]+)</Version>").Groups[1].Value;

// One version for every package of a pack run.
string PackageVersion() => packageVersion ??= Argument<string>("package-version", null) ?? $"{BaseVersion()}-build.{DateTime.UtcNow:yyyyMMddHHmmss}";
string packageVersion = null;

IEnumerable<string> PackedProjects() => new[]
{
    $"{root}/templates/Registry.Storage.Templates.csproj",
    $"{root}/Registry.Storage.Abstractions/src/Registry.Storage.Abstractions.csproj",
    $"{root}/conformance/Registry.Storage.Conformance/Registry.Storage.Conformance.csproj",
    $"{root}/Registry.Storage.Hosting/src/Registry.Storage.Hosting.csproj",
    $"{root}/Registry.Storage.Host/src/Registry.Storage.Host.csproj",
    $"{root}/conformance/Registry.Storage.Conformance.Runner/Registry.Storage.Conformance.Runner.csproj",
};

// Packs into `output`; `properties` adds MSBuild properties (for example -p:Version=1.1.0).
void PackProjects(string output, IDictionary<string, string> properties = null)
{
    foreach (var project in PackedProjects().Concat(DriverLibraries()))
    {
        var isDriver = project.Contains("/plugins/", StringComparison.Ordinal);
        var settings = new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = output,
            MSBuildSettings = new DotNetMSBuildSettings().SetContinuousIntegrationBuild(true),
        };
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            settings.MSBuildSettings.WithProperty(key, value);
        }

        if (isDriver)
        {
            settings.MSBuildSettings.WithProperty("PackAsLibrary", "true");
        }

        DotNetPack(project, settings);
    }
}

Task("pack").Does(() =>
{
    CleanDirectory(PackagesDirectory());
    PackProjects(PackagesDirectory(), new Dictionary<string, string> { ["Version"] = PackageVersion() });
    System.IO.File.WriteAllText($"{PackagesDirectory()}/version.txt", PackageVersion() + "\n");
    foreach (var package in System.IO.Directory.GetFiles(PackagesDirectory(), "*.nupkg").OrderBy(p => p, StringComparer.Ordinal))
    {
        Information($"package: {System.IO.Path.GetFileName(package)}");
    }
});
