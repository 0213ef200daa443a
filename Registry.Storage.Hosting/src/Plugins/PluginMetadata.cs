using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>A factory type a plugin declares with <see cref="StorageDriverAttribute"/>.</summary>
/// <param name="Name">The declared driver name.</param>
/// <param name="Aliases">The declared aliases.</param>
/// <param name="FactoryType">The factory's full type name, loaded only when the driver is selected.</param>
public sealed record DeclaredDriver(string Name, IReadOnlyList<string> Aliases, string FactoryType)
{
    /// <summary>The name and the aliases.</summary>
    public IEnumerable<string> AllNames => [Name, .. Aliases];
}

/// <summary>
/// What a plugin assembly says about itself, read from its metadata tables with
/// System.Reflection.Metadata: no load context is created and none of its code runs.
/// </summary>
/// <param name="Version">Informational (else assembly) version.</param>
/// <param name="ContractVersion">The Registry.Storage.Abstractions version it references, or null.</param>
/// <param name="Drivers">The factory types declared with <see cref="StorageDriverAttribute"/>.</param>
public sealed record PluginMetadata(string? Version, Version? ContractVersion, IReadOnlyList<DeclaredDriver> Drivers)
{
    private const string AttributeNamespace = "Registry.Storage";
    private const string AttributeName = nameof(StorageDriverAttribute);
    private static readonly string ContractAssembly = typeof(IStorageDriver).Assembly.GetName().Name!;

    /// <summary>Reads <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly, or its metadata is malformed.</exception>
    public static PluginMetadata Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException($"{Path.GetFileName(assemblyPath)} is not a .NET assembly (no metadata)");
        }

        try
        {
            var reader = pe.GetMetadataReader();
            return new PluginMetadata(ReadVersion(reader), ReadContract(reader), ReadDrivers(reader).ToArray());
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or BadImageFormatException)
        {
            throw new BadImageFormatException($"{Path.GetFileName(assemblyPath)} has malformed metadata: {ex.Message}", ex);
        }
    }

    private static string? ReadVersion(MetadataReader reader)
    {
        var assembly = reader.GetAssemblyDefinition();
        foreach (var handle in assembly.GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (AttributeTypeName(reader, attribute) == ("System.Reflection", nameof(AssemblyInformationalVersionAttribute))
                && attribute.DecodeValue(NameOnlyTypes.Instance).FixedArguments is [{ Value: string informational }])
            {
                return informational;
            }
        }

        return assembly.Version.ToString();
    }

    private static Version? ReadContract(MetadataReader reader) => reader.AssemblyReferences
        .Select(reader.GetAssemblyReference)
        .Where(r => reader.GetString(r.Name) == ContractAssembly)
        .Select(r => r.Version)
        .FirstOrDefault();

    private static IEnumerable<DeclaredDriver> ReadDrivers(MetadataReader reader)
    {
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            if ((type.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public)
            {
                continue;
            }

            foreach (var handle in type.GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (AttributeTypeName(reader, attribute) != (AttributeNamespace, AttributeName))
                {
                    continue;
                }

                var value = attribute.DecodeValue(NameOnlyTypes.Instance);
                if (value.FixedArguments is not [{ Value: string name }])
                {
                    continue;
                }

                var aliases = value.NamedArguments
                    .Where(a => a.Name == nameof(StorageDriverAttribute.Aliases) && a.Value is ImmutableArray<CustomAttributeTypedArgument<string>>)
                    .SelectMany(a => (ImmutableArray<CustomAttributeTypedArgument<string>>)a.Value!)
                    .Select(a => a.Value as string)
                    .OfType<string>()
                    .ToArray();
                var ns = reader.GetString(type.Namespace);
                var typeName = ns.Length == 0 ? reader.GetString(type.Name) : ns + "." + reader.GetString(type.Name);
                yield return new DeclaredDriver(name, aliases, typeName);
            }
        }
    }

    private static (string Namespace, string Name) AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle parent = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return parent.Kind switch
        {
            HandleKind.TypeReference => (reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Namespace), reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name)),
            HandleKind.TypeDefinition => (reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Namespace), reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name)),
            _ => ("", ""),
        };
    }

    /// <summary>Decodes attribute arguments naming types by their names only: enough for strings and string arrays.</summary>
    private sealed class NameOnlyTypes : ICustomAttributeTypeProvider<string>
    {
        public static readonly NameOnlyTypes Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
