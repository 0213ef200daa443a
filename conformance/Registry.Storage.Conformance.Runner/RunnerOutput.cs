using System.Text.Json;
using System.Text.Json.Serialization;

namespace Registry.Storage.Conformance.Runner;

/// <summary>
/// Text or JSON Lines (<c>--output json</c>), as the host prints: one JSON object per line on stdout
/// (a record per test or benchmark, then a summary) and errors as <c>{"error", "exitCode"}</c> on stderr.
/// </summary>
internal static class RunnerOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Whether <c>--output json</c> was given.</summary>
    public static bool Json { get; set; }

    /// <summary>One JSON line on <paramref name="writer"/>.</summary>
    public static void Record(TextWriter writer, object value) => writer.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonOptions));

    /// <summary>Reports a failure that ends the command on stderr and returns <paramref name="exitCode"/>.</summary>
    public static async Task<int> FailAsync(string message, int exitCode)
    {
        var text = Json ? JsonSerializer.Serialize(new { error = message, exitCode }, JsonOptions) : "regstore: " + message;
        await Console.Error.WriteLineAsync(text).ConfigureAwait(false);
        return exitCode;
    }
}
