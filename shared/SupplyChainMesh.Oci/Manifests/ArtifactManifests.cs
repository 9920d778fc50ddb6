namespace SupplyChainMesh.Oci.Manifests;

/// <summary>
/// Tells container images from other OCI artifacts stored in a registry (VEX, signatures, SBOMs, Helm charts), which
/// share the image manifest's shape but have no filesystem layers to scan.
/// </summary>
public static class ArtifactManifests
{
    /// <summary>
    /// The artifact type of <paramref name="manifest"/>, or null when it is a container image. An artifact has an
    /// <c>artifactType</c>, or a config that is not an image config (Helm: <c>application/vnd.cncf.helm.config.v1+json</c>),
    /// or no filesystem layer at all (cosign's signatures carry an image config and a <c>simplesigning</c> layer).
    /// </summary>
    public static string? ArtifactTypeOf(ImageManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!string.IsNullOrEmpty(manifest.ArtifactType)) return manifest.ArtifactType;
        if (manifest.Config.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig)) return manifest.Config.MediaType;
        if (manifest.Layers.Count > 0 && !manifest.Layers.Any(l => IsFilesystemLayer(l.MediaType))) return manifest.Layers[0].MediaType;
        return null;
    }

    /// <summary>A layer media type of the OCI image spec or Docker schema 2 (a tar, plain or compressed).</summary>
    public static bool IsFilesystemLayer(string? mediaType) =>
        mediaType is not null
        && (mediaType.StartsWith("application/vnd.oci.image.layer.", StringComparison.Ordinal)
            || mediaType.StartsWith("application/vnd.docker.image.rootfs.", StringComparison.Ordinal));
}
