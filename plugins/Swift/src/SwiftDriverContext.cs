namespace Registry.Storage.Drivers.Swift;

/// <summary>What the driver learnt at start-up and every part shares: sizes, limits and the TempURL signer.</summary>
/// <param name="ChunkSize">The segment size.</param>
/// <param name="UploadConcurrency">Segments a writer uploads at once.</param>
/// <param name="BulkDeleteMax">Names one bulk-delete request may carry; 1 without bulk delete.</param>
/// <param name="MaxManifestSegments">The most segments an SLO manifest may list.</param>
/// <param name="TempUrl">The TempURL signer, or null when redirects are off.</param>
/// <param name="TimeProvider">The clock for URL expiries.</param>
internal sealed record SwiftDriverContext(int ChunkSize, int UploadConcurrency, int BulkDeleteMax, int MaxManifestSegments, SwiftTempUrl? TempUrl, TimeProvider TimeProvider);
