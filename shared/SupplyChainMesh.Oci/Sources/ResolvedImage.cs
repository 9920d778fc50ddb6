using SupplyChainMesh.Oci.Manifests;

namespace SupplyChainMesh.Oci.Sources;

/// <summary>One runnable image: its manifest, the index entry it came from (with the platform), and its config JSON.</summary>
public sealed record ResolvedImage(ManifestDocument Manifest, BlobDescriptor? IndexEntry, ReadOnlyMemory<byte> Config)
{
    public ImageManifest ImageManifest => Manifest.Manifest!;

    /// <summary>Layers bottom first, as the manifest lists them.</summary>
    public IReadOnlyList<BlobDescriptor> Layers => ImageManifest.Layers;

    public Platform? Platform => IndexEntry?.Platform;
}
