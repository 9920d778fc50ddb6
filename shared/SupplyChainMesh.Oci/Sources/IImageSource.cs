using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Sources;

/// <summary>
/// An image to read, wherever it is: a registry, an OCI layout folder or a docker-archive tar. Every blob stream
/// verifies its digest as it is read (<see cref="DigestMismatchException"/> at the end of a tampered blob).
/// The CLI and services map <see cref="BlobDescriptor"/>s to the analysis engine's <c>LayerSource</c>.
/// </summary>
public interface IImageSource : IAsyncDisposable
{
    ImageReference Reference { get; }

    /// <summary>The manifest the reference names: an image manifest, or an index / manifest list.</summary>
    Task<ManifestDocument> GetManifestAsync(CancellationToken cancellationToken = default);

    /// <summary>A manifest by descriptor (a child of an index), verified against its digest.</summary>
    Task<ManifestDocument> GetManifestAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default);

    /// <summary>A config or layer blob, streamed and verified against the descriptor's digest and size.</summary>
    ValueTask<Stream> OpenBlobAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default);
}
