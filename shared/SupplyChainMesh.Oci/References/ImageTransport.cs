namespace SupplyChainMesh.Oci.References;

/// <summary>Where an image is read from, in skopeo's transport vocabulary.</summary>
public enum ImageTransport
{
    /// <summary>A registry speaking the OCI Distribution API (<c>docker://</c>, or a plain reference).</summary>
    Registry,

    /// <summary>An OCI image layout folder (<c>oci:DIR[:TAG]</c>).</summary>
    OciLayout,

    /// <summary>A <c>docker save</c> tar (<c>docker-archive:FILE[:REF]</c>).</summary>
    DockerArchive,
}
