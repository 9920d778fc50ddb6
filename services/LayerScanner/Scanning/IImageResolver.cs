using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>Finds the layers of a pushed manifest (an index resolves to its platform manifest).</summary>
public interface IImageResolver
{
    Task<ResolvedImage> ResolveAsync(ImageIdentity image, CancellationToken cancellationToken);
}

public sealed record ResolvedImage(string PlatformDigest, IReadOnlyList<ResolvedLayer> Layers);

public sealed record ResolvedLayer(string Digest, string MediaType, long Size);

/// <summary>The manifest could not be resolved for a reason that a retry will not cure (deleted, not an image).</summary>
public sealed class ImageResolutionException(string message, Exception? inner = null) : Exception(message, inner);
