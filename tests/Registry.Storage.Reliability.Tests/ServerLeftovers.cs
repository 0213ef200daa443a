using System.Reflection;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Registry.Storage.Reliability.Tests;

/// <summary>
/// Asks each server, behind the driver's back, what uploads a run under one root left behind:
/// S3 ListMultipartUploads, Swift segments no committed manifest references and pending-upload
/// records, Azure blobs holding uncommitted blocks of a live (not cancelled) session, OSS
/// ListMultipartUploads (through the driver's own client: the stand-in only answers signed requests).
/// </summary>
internal static class ServerLeftovers
{
    /// <summary>
    /// What was left: a count (0 after a run without faults) and a description of what was looked at.
    /// <paramref name="OfCancelledWrites"/>: how many of them are uploads of writes the caller cancelled
    /// (Swift keeps such an upload recorded when a segment PUT was given up in flight, since the proxy
    /// may still store that segment; a purge removes it later).
    /// </summary>
    public sealed record Finding(int Leftovers, string Text, int OfCancelledWrites = 0);

    /// <summary>Checks the server of <paramref name="name"/> below the root of <paramref name="parameters"/>.</summary>
    public static Task<Finding> CheckAsync(string name, DriverParameters parameters, IStorageDriver driver, IReadOnlyCollection<string> cancelled, CancellationToken cancellationToken) => name switch
    {
        "s3" => S3Async(parameters, cancellationToken),
        "swift" => SwiftAsync(parameters, cancelled, cancellationToken),
        "azure" => AzureAsync(parameters, cancelled, cancellationToken),
        "oss" => OssAsync(parameters, driver, cancellationToken),
        _ => Task.FromResult(new Finding(0, $"{name}: no server-side upload listing")),
    };

    private static string RootPrefix(DriverParameters parameters) => (parameters.GetString("rootdirectory") ?? "").Trim('/') + "/";

    private static async Task<Finding> S3Async(DriverParameters p, CancellationToken cancellationToken)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = p.GetString("regionendpoint"),
            ForcePathStyle = true,
            AuthenticationRegion = p.GetString("region") ?? "us-east-1",
        };
        using var client = new AmazonS3Client(new BasicAWSCredentials(p.GetString("accesskey"), p.GetString("secretkey")), config);
        var prefix = RootPrefix(p);
        var uploads = new List<string>();
        var request = new ListMultipartUploadsRequest { BucketName = p.GetString("bucket"), Prefix = prefix };
        while (true)
        {
            var page = await client.ListMultipartUploadsAsync(request, cancellationToken).ConfigureAwait(false);
            uploads.AddRange((page.MultipartUploads ?? []).Select(u => u.Key));
            if (page.IsTruncated != true)
            {
                break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }

        return new Finding(uploads.Count, $"ListMultipartUploads prefix {prefix}: {uploads.Count} in progress{Sample(uploads)}");
    }

    private static async Task<Finding> SwiftAsync(DriverParameters p, IReadOnlyCollection<string> cancelled, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var auth = new HttpRequestMessage(HttpMethod.Get, p.GetString("authurl"));
        auth.Headers.Add("X-Auth-User", p.GetString("username"));
        auth.Headers.Add("X-Auth-Key", p.GetString("password"));
        using var authResponse = await http.SendAsync(auth, cancellationToken).ConfigureAwait(false);
        authResponse.EnsureSuccessStatusCode();
        var token = authResponse.Headers.GetValues("X-Auth-Token").Single();
        var container = p.GetString("container")!;
        var containerUrl = authResponse.Headers.GetValues("X-Storage-Url").Single().TrimEnd('/') + "/" + Uri.EscapeDataString(container);
        var root = RootPrefix(p);

        async Task<List<string>> ListAsync(string prefix)
        {
            var names = new List<string>();
            string? marker = null;
            while (true)
            {
                var url = $"{containerUrl}?format=json&prefix={Uri.EscapeDataString(prefix)}" + (marker is null ? "" : $"&marker={Uri.EscapeDataString(marker)}");
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add("X-Auth-Token", token);
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                var batch = page.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
                if (batch.Count == 0)
                {
                    return names;
                }

                names.AddRange(batch);
                marker = batch[^1];
            }
        }

        // Segments referenced by the committed static large objects' manifests.
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var manifests = 0;
        foreach (var file in await ListAsync(root + "files/").ConfigureAwait(false))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{containerUrl}/{EscapePath(file)}?multipart-manifest=get");
            request.Headers.Add("X-Auth-Token", token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            if (!response.Headers.TryGetValues("X-Static-Large-Object", out var slo) || !slo.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            manifests++;
            using var manifest = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            foreach (var segment in manifest.RootElement.EnumerateArray())
            {
                // "/container/segment/key"
                var name = segment.GetProperty("name").GetString()!;
                referenced.Add(name[(name.IndexOf('/', 1) + 1)..]);
            }
        }

        // What the pending-upload records reach: their segment folders and the segments they name
        // (a delete's record names the deleted large object's segments). A purge removes these.
        var pending = await ListAsync(root + "pending-uploads/").ConfigureAwait(false);
        var recordedPrefixes = new List<string>();
        var recordedSegments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in pending)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{containerUrl}/{EscapePath(record)}");
            request.Headers.Add("X-Auth-Token", token);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                continue; // gone since the listing
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            recordedPrefixes.Add(json.RootElement.GetProperty("segmentPrefix").GetString()!.TrimStart('/'));
            foreach (var segment in json.RootElement.GetProperty("segments").EnumerateArray())
            {
                recordedSegments.Add(segment.GetProperty("key").GetString()!.TrimStart('/'));
            }
        }

        var segments = await ListAsync(root + "segments/").ConfigureAwait(false);
        var unreferenced = segments.Where(s => !referenced.Contains(s)).ToList();
        // Orphaned: no committed manifest and no record reaches it, so nothing would ever remove it.
        var orphans = unreferenced.Where(s => !recordedSegments.Contains(s) && !recordedPrefixes.Any(prefix => s.StartsWith(prefix.TrimEnd('/') + "/", StringComparison.Ordinal))).ToList();
        var recordsRoot = root + "pending-uploads";
        var cancelledPaths = cancelled.Select(c => "/" + c.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        var ofCancelled = pending.Count(r => cancelledPaths.Contains(r[recordsRoot.Length..]));
        return new Finding(orphans.Count + pending.Count,
            $"{segments.Count} segments under {root}segments/, {referenced.Count} referenced by {manifests} committed manifests, {unreferenced.Count - orphans.Count} reached by pending-upload records, {orphans.Count} orphaned{Sample(orphans)}; {pending.Count} pending-upload records ({ofCancelled} of writes the caller cancelled){Sample(pending)}",
            ofCancelled);
    }

    private static async Task<Finding> AzureAsync(DriverParameters p, IReadOnlyCollection<string> cancelled, CancellationToken cancellationToken)
    {
        var service = new BlobServiceClient(new Uri(p.GetString("serviceurl")!), new StorageSharedKeyCredential(p.GetString("accountname"), p.GetString("accountkey")));
        var container = service.GetBlobContainerClient(p.GetString("container"));
        var root = RootPrefix(p);
        var cancelledKeys = cancelled.Select(c => root + c.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        int withUncommitted = 0, live = 0, cancelledSessions = 0, cancelledByTheCaller = 0;
        var liveNames = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, root, cancellationToken).ConfigureAwait(false))
        {
            var blocks = await container.GetBlockBlobClient(item.Name).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellationToken).ConfigureAwait(false);
            var names = blocks.Value.UncommittedBlocks.Select(b => Encoding.ASCII.GetString(Convert.FromBase64String(b.Name))).ToList();
            if (names.Count == 0)
            {
                continue;
            }

            withUncommitted++;
            // Block ids are "rsb1" + 20-character session + 6-character index or "cancel".
            var sessions = names.GroupBy(n => n.Length >= 24 ? n[4..24] : n);
            foreach (var session in sessions)
            {
                // A cancel marker is the driver's discard (of a cancelled write, of a failed one, or of an
                // upload ListUploads reported): Azure has no call to delete staged blocks.
                if (session.Any(n => n.EndsWith("cancel", StringComparison.Ordinal)))
                {
                    cancelledSessions++;
                    cancelledByTheCaller += cancelledKeys.Contains(item.Name) ? 1 : 0;
                }
                else
                {
                    live++;
                    liveNames.Add(item.Name);
                }
            }
        }

        return new Finding(live,
            $"{withUncommitted} blobs under {root} hold uncommitted blocks: {cancelledSessions} sessions marked cancelled by the driver ({cancelledByTheCaller} of the caller's cancels; Azure offers no call to delete uncommitted blocks; the service drops them after 7 days), {live} live sessions{Sample(liveNames)}");
    }

    private static async Task<Finding> OssAsync(DriverParameters p, IStorageDriver driver, CancellationToken cancellationToken)
    {
        // The driver's own OssClient (internal), so the request is signed as the stand-in demands.
        var client = driver.GetType().GetField("_client", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(driver)
            ?? throw new InvalidOperationException("the oss driver keeps its client in _client");
        var list = client.GetType().GetMethod("ListMultipartUploadsAsync") ?? throw new InvalidOperationException("OssClient.ListMultipartUploadsAsync is gone");
        // Covers the root and its tails folder (<root>.regstore-tails/) alike.
        var prefix = RootPrefix(p).TrimEnd('/');
        var task = (Task)list.Invoke(client, [prefix, null, null, "/", cancellationToken])!;
        await task.ConfigureAwait(false);
        var page = task.GetType().GetProperty("Result")!.GetValue(task)!;
        var uploads = ((System.Collections.IEnumerable)page.GetType().GetProperty("Uploads")!.GetValue(page)!).Cast<object>().Select(u => u.ToString() ?? "").ToList();
        return new Finding(uploads.Count, $"ListMultipartUploads prefix {prefix}: {uploads.Count} in progress{Sample(uploads)}");
    }

    private static string EscapePath(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static string Sample(List<string> names) => names.Count == 0 ? "" : $" (e.g. {string.Join(", ", names.Take(3))})";
}
