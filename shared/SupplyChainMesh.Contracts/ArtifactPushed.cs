namespace SupplyChainMesh.Contracts;

/// <summary>
/// A pushed manifest is an OCI artifact, not a container image (a VEX document, a signature, an SBOM, a Helm chart):
/// there is nothing to scan, and no <see cref="ImageScanned"/> follows. Published by the scan saga. When the artifact
/// is attached to an image (<see cref="SubjectDigest"/>), what the image's verdicts rest on may have changed: PolicyEngine
/// re-reads the VEX referrers of that image at once instead of after its cache expires.
/// </summary>
public sealed record ArtifactPushed
{
    /// <summary>The artifact's own repository, tag and digest.</summary>
    public required ImageIdentity Artifact { get; init; }

    /// <summary>The manifest's <c>artifactType</c>, or what stands for it (the config's or the first layer's media type).</summary>
    public required string ArtifactType { get; init; }

    /// <summary>The digest of the image this artifact refers to (the manifest's <c>subject</c>), if any.</summary>
    public string? SubjectDigest { get; init; }
}
