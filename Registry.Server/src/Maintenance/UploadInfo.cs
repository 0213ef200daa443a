namespace Registry.Server.Maintenance;

/// <summary>An upload in progress (or abandoned): <c>repositories/&lt;name&gt;/_uploads/&lt;id&gt;</c>.</summary>
/// <param name="Repository">The repository name.</param>
/// <param name="Id">The upload id (a UUID).</param>
/// <param name="Path">The upload's directory.</param>
/// <param name="StartedAt">Its <c>startedat</c>, or null when missing or unreadable (such uploads are never purged, as in distribution).</param>
/// <param name="Size">Bytes in its directory (data, hash states; the uncommitted data too where the driver lists its pending uploads).</param>
/// <param name="LastModified">The newest modification time in its directory.</param>
public sealed record UploadInfo(string Repository, string Id, string Path, DateTimeOffset? StartedAt, long Size, DateTimeOffset LastModified);
