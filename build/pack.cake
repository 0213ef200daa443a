// Loaded by build.cake (#load "build/pack.cake"); uses its root, artifacts and configuration.
// ./build.sh pack → artifacts/packages: the NuGet packages a third party builds a driver with.
//   Registry.Storage.Abstractions  the contract a driver references (Private=false, ExcludeAssets=runtime)
//   Registry.Storage.Conformance   the abstract NUnit fixture a driver's test project subclasses
//   Registry.Storage.Hosting       the host as a library (plugins, trust, configuration, decorators, DI)
//   regstore                       the host as a .NET tool (dotnet tool install regstore --add-source ...)
//   regstore-conformance           the conformance runner and driver benchmarks as a .NET tool
// Versions are Directory.Build.props' <Version> (SemVer). Pack compiles the packed projects itself
// with ContinuousIntegrationBuild (deterministic, checkout-path-independent assemblies and PDBs):
// packing twice from the same commit gives identical assemblies. Every package carries its
// README and the Apache-2.0 LICENSE, XML docs, and a .snupkg with the symbols.

// Functions rather than top-level variables: #load'ed code may sit above build.cake's variables.
string PackagesDirectory() => $"{artifacts}/packages";

IEnumerable<string> PackedProjects() => new[]
{
    $"{root}/Registry.Storage.Abstractions/src/Registry.Storage.Abstractions.csproj",
    $"{root}/conformance/Registry.Storage.Conformance/Registry.Storage.Conformance.csproj",
    $"{root}/Registry.Storage.Hosting/src/Registry.Storage.Hosting.csproj",
    $"{root}/Registry.Storage.Host/src/Registry.Storage.Host.csproj",
    $"{root}/conformance/Registry.Storage.Conformance.Runner/Registry.Storage.Conformance.Runner.csproj",
};

// Packs into `output`; `properties` adds MSBuild properties (for example -p:Version=1.1.0).
void PackProjects(string output, IDictionary<string, string> properties = null)
{
    foreach (var project in PackedProjects())
    {
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

        DotNetPack(project, settings);
    }
}

Task("pack").Does(() =>
{
    CleanDirectory(PackagesDirectory());
    PackProjects(PackagesDirectory());
    foreach (var package in System.IO.Directory.GetFiles(PackagesDirectory(), "*.nupkg").OrderBy(p => p, StringComparer.Ordinal))
    {
        Information($"package: {System.IO.Path.GetFileName(package)}");
    }
});
