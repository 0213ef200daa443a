using System.Text.Encodings.Web;
using System.Text.Json;

namespace Registry.Server.Api;

/// <summary>JSON as registries write it: media types keep their <c>+</c> (no <c>\u002B</c>).</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(object value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
