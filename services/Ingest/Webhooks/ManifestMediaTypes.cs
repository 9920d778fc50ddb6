namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>Manifest media types that start a scan. Blob pushes, pulls and other artifacts are ignored (and counted).</summary>
public static class ManifestMediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    public static bool IsImageManifest(string? mediaType) =>
        mediaType is OciManifest or OciIndex or DockerManifest or DockerManifestList;
}
