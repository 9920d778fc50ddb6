using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>Finds the layers of a pushed manifest (an index resolves to its platform manifest).</summary>
public interface IImageResolver
{
    Task<ResolvedImage> ResolveAsync(ImageIdentity image, CancellationToken cancellationToken);
}

/// <param name="PlatformDigest">The manifest whose layers are scanned.</param>
/// <param name="Layers">Its layers, bottom first; none for an artifact.</param>
/// <param name="ArtifactType">Set when the manifest is an OCI artifact rather than an image: nothing to scan.</param>
/// <param name="SubjectDigest">The image an artifact is attached to.</param>
public sealed record ResolvedImage(string PlatformDigest, IReadOnlyList<ResolvedLayer> Layers, string? ArtifactType = null, string? SubjectDigest = null);

public sealed record ResolvedLayer(string Digest, string MediaType, long Size);

/// <summary>The manifest could not be resolved for a reason that a retry will not cure (deleted, not an image).</summary>
public sealed class ImageResolutionException(string message, Exception? inner = null) : Exception(message, inner);
