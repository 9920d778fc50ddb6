namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// One layer blob of an image, as stored (gzip, zstd or plain tar: the reader detects which by magic bytes).
/// <paramref name="OpenAsync"/> opens a fresh forward-only stream each time it is called.
/// </summary>
public sealed record LayerSource(string Digest, string MediaType, long Size, Func<CancellationToken, ValueTask<Stream>> OpenAsync);
