namespace Registry.Storage;

/// <summary>
/// An upload a writer left uncommitted (closed without commit, or cut off by a crash), as
/// <see cref="IStorageDriver.ListUploadsAsync"/> reports it. Since contract 1.2.
/// </summary>
/// <param name="Path">The storage path the upload would be committed at.</param>
/// <param name="Size">The bytes it holds so far: what a writer resuming it (<c>WriterAsync(path, append: true)</c>) reports as its <see cref="FileWriter.Size"/>.</param>
/// <param name="LastModified">When the upload last changed (UTC), as the backend records it; <see cref="DateTimeOffset.MinValue"/> when the backend keeps no time for it.</param>
public sealed record PendingUpload(string Path, long Size, DateTimeOffset LastModified);
