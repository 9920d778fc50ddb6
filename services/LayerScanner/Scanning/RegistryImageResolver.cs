using SupplyChainMesh.Contracts;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Sources;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>Reads the pushed manifest from its registry; an index resolves to its linux/amd64 manifest. An OCI artifact
/// (VEX, signature, SBOM) resolves to no layers and its artifact type.</summary>
public sealed class RegistryImageResolver(RegistryClientPool registries) : IImageResolver
{
    public async Task<ResolvedImage> ResolveAsync(ImageIdentity image, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse($"docker://{image.Registry}/{image.Repository}@{image.Digest}");
        try
        {
            await using var source = new RegistryImageSource(reference, registries.For(image.Registry));
            var images = await source.ResolveImagesAsync(cancellationToken: cancellationToken);
            var chosen = images[0];
            if (chosen.Manifest.Manifest is { } manifest && ArtifactManifests.ArtifactTypeOf(manifest) is { } artifactType)
                return new ResolvedImage(chosen.Manifest.Digest, [], artifactType, manifest.Subject?.Digest);
            var layers = chosen.Layers.Select(l => new ResolvedLayer(l.Digest, l.MediaType, l.Size)).ToList();
            if (layers.Count == 0) throw new ImageResolutionException($"{image} has no layers.");
            return new ResolvedImage(chosen.Manifest.Digest, layers);
        }
        catch (RegistryNotFoundException ex)
        {
            throw new ImageResolutionException($"The manifest of {image} is gone from the registry: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is SupplyChainMesh.Oci.Manifests.ManifestFormatException or SupplyChainMesh.Oci.Manifests.NoMatchingPlatformException)
        {
            throw new ImageResolutionException($"{image} is not a scannable image: {ex.Message}", ex);
        }
    }
}
