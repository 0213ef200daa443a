using System.Text.Json;

namespace Registry.Storage.Hosting.Plugins;

/// <summary>
/// Checks a plugin's <c>*.deps.json</c> for the shape the runtime's dependency resolver
/// expects before a load context ever sees it: the native resolver aborts the whole process
/// on some malformed files (a <c>{}</c> gives <c>basic_string::_M_construct null not valid</c>).
/// </summary>
public static class DepsJsonCheck
{
    private static readonly string[] AssetGroups = ["runtime", "native", "resources", "runtimeTargets", "dependencies"];

    /// <summary>Why <paramref name="path"/> must not reach the runtime, or null when its shape is sound.</summary>
    public static string? Problem(string path)
    {
        var name = Path.GetFileName(path);
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
            return ShapeProblem(document.RootElement) is { } problem ? $"{name} is malformed: {problem}" : null;
        }
        catch (JsonException ex)
        {
            return $"{name} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}";
        }
        catch (IOException ex)
        {
            return $"{name} cannot be read: {ex.Message}";
        }
        catch (UnauthorizedAccessException ex)
        {
            return $"{name} cannot be read: {ex.Message}";
        }
    }

    private static string? ShapeProblem(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "the root must be an object";
        }

        if (!root.TryGetProperty("runtimeTarget", out var runtimeTarget) || runtimeTarget.ValueKind != JsonValueKind.Object
            || !runtimeTarget.TryGetProperty("name", out var targetName) || targetName.ValueKind != JsonValueKind.String || targetName.GetString() is not { Length: > 0 } target)
        {
            return "runtimeTarget.name must be a non-empty string";
        }

        if (!root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Object
            || !targets.TryGetProperty(target, out var entries) || entries.ValueKind != JsonValueKind.Object)
        {
            return $"targets must hold an object for the runtime target '{target}'";
        }

        if (!root.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
        {
            return "libraries must be an object";
        }

        foreach (var entry in entries.EnumerateObject())
        {
            if (entry.Name.Length == 0 || entry.Value.ValueKind != JsonValueKind.Object)
            {
                return $"target entry '{entry.Name}' must be a named object";
            }

            foreach (var group in AssetGroups)
            {
                if (entry.Value.TryGetProperty(group, out var assets) && assets.ValueKind != JsonValueKind.Object)
                {
                    return $"'{entry.Name}'.{group} must be an object";
                }
            }

            if (!libraries.TryGetProperty(entry.Name, out var library) || library.ValueKind != JsonValueKind.Object)
            {
                return $"target entry '{entry.Name}' has no object in libraries";
            }

            if (!library.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 })
            {
                return $"libraries.'{entry.Name}'.type must be a non-empty string";
            }

            foreach (var field in new[] { "sha512", "path", "hashPath" })
            {
                if (library.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.String)
                {
                    return $"libraries.'{entry.Name}'.{field} must be a string";
                }
            }
        }

        return null;
    }
}
