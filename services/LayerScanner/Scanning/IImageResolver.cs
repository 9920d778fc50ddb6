using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>Finds the layers of a pushed manifest (an index resolves to every runnable platform manifest).</summary>
public interface IImageResolver
{
    Task<ResolvedImage> ResolveAsync(ImageIdentity image, CancellationToken cancellationToken);
}

/// <param name="PlatformDigest">The manifest whose layers are scanned: the pushed one, the only platform of an index, or
/// the index itself when it has several.</param>
/// <param name="Layers">The distinct layers to analyse, bottom first (platform after platform for an index); none for an
/// artifact.</param>
/// <param name="ArtifactType">Set when the manifest is an OCI artifact rather than an image: nothing to scan.</param>
/// <param name="SubjectDigest">The image an artifact is attached to.</param>
/// <param name="Platforms">For an index: each runnable platform with its own layers; empty for a plain manifest.</param>
public sealed record ResolvedImage(string PlatformDigest, IReadOnlyList<ResolvedLayer> Layers, string? ArtifactType = null,
    string? SubjectDigest = null, IReadOnlyList<ScannedPlatform>? Platforms = null);

public sealed record ResolvedLayer(string Digest, string MediaType, long Size);

/// <summary>The manifest could not be resolved for a reason that a retry will not cure (deleted, not an image).</summary>
public sealed class ImageResolutionException(string message, Exception? inner = null) : Exception(message, inner);
