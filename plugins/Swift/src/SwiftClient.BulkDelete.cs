using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Registry.Storage.Drivers.Swift;

internal sealed partial class SwiftClient
{
    /// <summary>
    /// Deletes every object in <paramref name="objects"/>: with the bulk middleware
    /// (<c>POST ?bulk-delete</c>, up to <paramref name="maxPerRequest"/> names a request) when
    /// <c>/info</c> advertises it, else one DELETE each. Objects already gone are fine.
    /// </summary>
    public async Task DeleteManyAsync(IReadOnlyList<SegmentRef> objects, int maxPerRequest, string pathForErrors, CancellationToken cancellationToken)
    {
        if (maxPerRequest <= 1)
        {
            await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (item, ct) => await DeleteOneAsync(item, pathForErrors, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        foreach (var batch in objects.Chunk(maxPerRequest))
        {
            // The bulk middleware checks the token per object and reports a refusal inside its
            // 200 answer: re-authenticate and send the batch again (deleting is idempotent).
            if (await BulkDeleteAsync(batch, pathForErrors, cancellationToken).ConfigureAwait(false) == BulkOutcome.Unauthorized)
            {
                await _connection.ReauthenticateAsync(cancellationToken).ConfigureAwait(false);
                if (await BulkDeleteAsync(batch, pathForErrors, cancellationToken).ConfigureAwait(false) == BulkOutcome.Unauthorized)
                {
                    throw SwiftErrors.FromStatus("delete", pathForErrors, System.Net.HttpStatusCode.Unauthorized, "bulk delete refused the token twice");
                }
            }
        }
    }

    private enum BulkOutcome
    {
        Done,
        Unauthorized,
    }

    private async Task DeleteOneAsync(SegmentRef item, string pathForErrors, CancellationToken cancellationToken)
    {
        using var response = await SendAsync("delete", item.Key, s =>
            new HttpRequestMessage(HttpMethod.Delete, SegmentUri(s, item.Container, item.Key)),
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            throw SwiftErrors.FromStatus("delete", pathForErrors, response.StatusCode, $"{response.ReasonPhrase} deleting {item.Key}");
        }
    }

    private async Task<BulkOutcome> BulkDeleteAsync(IReadOnlyList<SegmentRef> batch, string pathForErrors, CancellationToken cancellationToken)
    {
        var body = BuildBulkDeleteBody(batch);
        using var response = await SendAsync("delete", pathForErrors, s =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(s.AbsoluteUri.TrimEnd('/') + "?bulk-delete"))
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw SwiftErrors.FromStatus("delete", pathForErrors, response.StatusCode, response.ReasonPhrase);
        }

        // The middleware answers 200 at once and streams whitespace while it works; the real
        // outcome is the JSON document at the end.
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (ParseBulkDeleteFailure(text) is not { } failure)
        {
            return BulkOutcome.Done;
        }

        if (OnlyUnauthorized(text))
        {
            return BulkOutcome.Unauthorized;
        }

        throw SwiftErrors.Wrap("delete", pathForErrors, new SwiftHttpException(System.Net.HttpStatusCode.BadGateway, "bulk delete: " + failure));
    }

    /// <summary>Whether every failure in a bulk-delete answer is a refused token (401), the rest deleted or absent.</summary>
    internal static bool OnlyUnauthorized(string answer)
    {
        using var document = JsonDocument.Parse(answer.Trim());
        if (!document.RootElement.TryGetProperty("Errors", out var errors) || errors.GetArrayLength() == 0)
        {
            return false;
        }

        return errors.EnumerateArray()
            .Select(e => e.GetArrayLength() > 1 ? e[1].GetString() ?? "" : "")
            .All(status => status.StartsWith("401", StringComparison.Ordinal) || status.StartsWith("404", StringComparison.Ordinal));
    }

    /// <summary>One line per object, <c>/container/name</c> URL-encoded, as the bulk middleware reads them.</summary>
    internal static byte[] BuildBulkDeleteBody(IEnumerable<SegmentRef> objects)
    {
        var text = new StringBuilder();
        foreach (var item in objects)
        {
            text.Append('/').Append(Uri.EscapeDataString(item.Container)).Append('/').Append(EscapeKey(item.Key)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>What went wrong in a bulk-delete answer, or null when every name was deleted or already gone.</summary>
    internal static string? ParseBulkDeleteFailure(string answer)
    {
        var trimmed = answer.Trim();
        if (trimmed.Length == 0)
        {
            return "empty answer";
        }

        using var document = JsonDocument.Parse(trimmed);
        var root = document.RootElement;
        var errors = new List<string>();
        if (root.TryGetProperty("Errors", out var list))
        {
            foreach (var error in list.EnumerateArray())
            {
                var status = error.GetArrayLength() > 1 ? error[1].GetString() ?? "" : "";
                if (!status.StartsWith("404", StringComparison.Ordinal))
                {
                    errors.Add($"{error[0].GetString()}: {status}");
                }
            }
        }

        var responseStatus = root.TryGetProperty("Response Status", out var rs) ? rs.GetString() ?? "" : "";
        if (errors.Count > 0)
        {
            return $"{responseStatus}; {errors.Count} failed, first {errors[0]}";
        }

        return responseStatus.StartsWith('2') ? null : $"{responseStatus} {(root.TryGetProperty("Response Body", out var rb) ? rb.GetString() : "")}".Trim();
    }
}
