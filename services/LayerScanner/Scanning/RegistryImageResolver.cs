using SupplyChainMesh.Contracts;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Sources;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>Reads the pushed manifest from its registry. An index fans out to every runnable platform manifest
/// (attestations and other unknown/unknown entries are left out): their distinct layers are scanned, each platform's
/// layer order is kept for the inventory. An OCI artifact (VEX, signature, SBOM) resolves to no layers and its
/// artifact type.</summary>
public sealed class RegistryImageResolver(RegistryClientPool registries) : IImageResolver
{
    public async Task<ResolvedImage> ResolveAsync(ImageIdentity image, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse($"docker://{image.Registry}/{image.Repository}@{image.Digest}");
        try
        {
            await using var source = new RegistryImageSource(reference, registries.For(image.Registry));
            var images = await source.ResolveImagesAsync(allPlatforms: true, cancellationToken: cancellationToken);
            if (images is [{ IndexEntry: null } single])
            {
                if (single.Manifest.Manifest is { } manifest && ArtifactManifests.ArtifactTypeOf(manifest) is { } artifactType)
                    return new ResolvedImage(single.Manifest.Digest, [], artifactType, manifest.Subject?.Digest);
                var layers = single.Layers.Select(l => new ResolvedLayer(l.Digest, l.MediaType, l.Size)).ToList();
                if (layers.Count == 0) throw new ImageResolutionException($"{image} has no layers.");
                return new ResolvedImage(single.Manifest.Digest, layers);
            }
            return FromIndex(image, images);
        }
        catch (RegistryNotFoundException ex)
        {
            throw new ImageResolutionException($"The manifest of {image} is gone from the registry: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ManifestFormatException or NoMatchingPlatformException)
        {
            throw new ImageResolutionException($"{image} is not a scannable image: {ex.Message}", ex);
        }
    }

    private static ResolvedImage FromIndex(ImageIdentity image, IReadOnlyList<Oci.Sources.ResolvedImage> children)
    {
        var runnable = children
            .Where(c => c.Manifest.Manifest is { } m && ArtifactManifests.ArtifactTypeOf(m) is null && c.Layers.Count > 0)
            .ToList();
        if (runnable.Count == 0) throw new ImageResolutionException($"{image} is an index without a runnable platform image.");
        var platforms = runnable
            .Select(c => new ScannedPlatform(c.IndexEntry?.Platform?.ToString() ?? "unknown", c.Manifest.Digest, c.Layers.Select(l => l.Digest).ToList()))
            .ToList();
        var layers = runnable.SelectMany(c => c.Layers)
            .DistinctBy(l => l.Digest, StringComparer.Ordinal)
            .Select(l => new ResolvedLayer(l.Digest, l.MediaType, l.Size))
            .ToList();
        return new ResolvedImage(runnable.Count == 1 ? runnable[0].Manifest.Digest : image.Digest, layers, Platforms: platforms);
    }
}
