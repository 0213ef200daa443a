using System.Security.Cryptography;

namespace Registry.Storage.Oss.StandIn;

/// <summary>One stored object: its metadata in memory, its bytes in a file of its own.</summary>
internal sealed record StoredObject(string Key, long Size, string ETag, DateTimeOffset LastModified, string ContentType, string DataPath, bool IsMultipart);

/// <summary>One uploaded part of a multipart upload.</summary>
internal sealed record StoredPart(int Number, long Size, string ETag, byte[] Md5, DateTimeOffset LastModified, string DataPath);

/// <summary>A multipart upload in progress.</summary>
internal sealed class Upload(string key, string id, DateTimeOffset initiated, string contentType)
{
    public string Key { get; } = key;

    public string Id { get; } = id;

    public DateTimeOffset Initiated { get; } = initiated;

    public string ContentType { get; } = contentType;

    public SortedDictionary<int, StoredPart> Parts { get; } = [];
}

/// <summary>
/// The bucket's contents: an ordinal-sorted key index in memory (what listings walk) and every
/// object, part and upload as files under the data folder. Writes stream to a temp file and
/// are installed under the lock, so readers see the old or the new object, never a mix; each
/// version has its own file, so a reader keeps reading the version it opened.
/// </summary>
internal sealed class BlobStore
{
    private readonly object _lock = new();
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Upload> _uploads = new(StringComparer.Ordinal);
    private readonly string _dataDirectory;
    private readonly TimeProvider _time;
    private long _uploadCounter;

    public BlobStore(string dataDirectory, TimeProvider time)
    {
        _dataDirectory = dataDirectory;
        _time = time;
        Directory.CreateDirectory(Path.Combine(dataDirectory, "blobs"));
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    public string NewDataPath() => Path.Combine(_dataDirectory, "blobs", Guid.NewGuid().ToString("N"));

    /// <summary>Streams <paramref name="body"/> into a new data file; returns its path, size and MD5.</summary>
    public async Task<(string Path, long Size, byte[] Md5)> ReceiveAsync(Stream body, CancellationToken cancellationToken)
    {
        var path = NewDataPath();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        long size = 0;
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                size += read;
            }
        }

        return (path, size, md5.GetHashAndReset());
    }

    /// <summary>Copies <paramref name="length"/> bytes at <paramref name="offset"/> of a data file into a new one.</summary>
    public async Task<(string Path, long Size, byte[] Md5)> CopyRangeAsync(string source, long offset, long length, CancellationToken cancellationToken)
    {
        var input = OpenRead(source);
        await using (input.ConfigureAwait(false))
        {
            input.Position = offset;
            var bounded = new BoundedStream(input, length);
            return await ReceiveAsync(bounded, cancellationToken).ConfigureAwait(false);
        }
    }

    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);

    public StoredObject? Get(string key)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(key);
        }
    }

    /// <summary>Installs a new version of <paramref name="stored"/>'s key, deleting the previous version's file.</summary>
    public void Install(StoredObject stored)
    {
        StoredObject? previous;
        lock (_lock)
        {
            previous = _objects.GetValueOrDefault(stored.Key);
            _objects[stored.Key] = stored;
            _keys.Add(stored.Key);
        }

        DeleteFile(previous?.DataPath);
    }

    public bool Delete(string key)
    {
        StoredObject? previous;
        lock (_lock)
        {
            if (!_objects.Remove(key, out previous))
            {
                return false;
            }

            _keys.Remove(key);
        }

        DeleteFile(previous.DataPath);
        return true;
    }

    /// <summary>Visits the objects whose key starts with <paramref name="prefix"/> and sorts after <paramref name="after"/> (all when null), in key order, until <paramref name="visit"/> returns false.</summary>
    public void Scan(string? after, string prefix, Func<StoredObject, bool> visit)
    {
        lock (_lock)
        {
            if (_keys.Count == 0)
            {
                return;
            }

            var lower = string.CompareOrdinal(after ?? "", prefix) > 0 ? after! : prefix;
            if (string.CompareOrdinal(lower, _keys.Max) > 0)
            {
                return;
            }

            foreach (var key in _keys.GetViewBetween(lower, _keys.Max!))
            {
                if (after is not null && string.CompareOrdinal(key, after) <= 0)
                {
                    continue;
                }

                // Keys sharing a prefix are contiguous in ordinal order: the first that does not share it ends the range.
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || !visit(_objects[key]))
                {
                    return;
                }
            }
        }
    }

    public Upload CreateUpload(string key, string contentType)
    {
        // Hex of a counter first: ids sort in creation order, as upload-id-marker paging expects.
        var id = $"{Interlocked.Increment(ref _uploadCounter):X8}{RandomNumberGenerator.GetHexString(24)}";
        var upload = new Upload(key, id, Now, contentType);
        lock (_lock)
        {
            _uploads[id] = upload;
        }

        return upload;
    }

    public Upload GetUpload(string key, string uploadId)
    {
        lock (_lock)
        {
            return _uploads.TryGetValue(uploadId, out var upload) && upload.Key == key ? upload : throw OssError.NoSuchUpload(uploadId);
        }
    }

    public void PutPart(Upload upload, StoredPart part)
    {
        StoredPart? previous;
        lock (_lock)
        {
            if (!_uploads.ContainsKey(upload.Id))
            {
                DeleteFile(part.DataPath);
                throw OssError.NoSuchUpload(upload.Id);
            }

            upload.Parts.Remove(part.Number, out previous);
            upload.Parts[part.Number] = part;
        }

        DeleteFile(previous?.DataPath);
    }

    public List<StoredPart> PartsOf(Upload upload)
    {
        lock (_lock)
        {
            return [.. upload.Parts.Values];
        }
    }

    /// <summary>Removes the upload and its part files (abort, or after complete).</summary>
    public void RemoveUpload(Upload upload)
    {
        List<StoredPart> parts;
        lock (_lock)
        {
            if (!_uploads.Remove(upload.Id))
            {
                throw OssError.NoSuchUpload(upload.Id);
            }

            parts = [.. upload.Parts.Values];
        }

        foreach (var part in parts)
        {
            DeleteFile(part.DataPath);
        }
    }

    public List<Upload> Uploads()
    {
        lock (_lock)
        {
            return [.. _uploads.Values.OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Id, StringComparer.Ordinal)];
        }
    }

    public static void DeleteFile(string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }
}
