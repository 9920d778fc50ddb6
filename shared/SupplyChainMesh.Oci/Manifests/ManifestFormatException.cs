namespace SupplyChainMesh.Oci.Manifests;

/// <summary>A manifest, index or docker-archive manifest.json that cannot be read: bad JSON, wrong shape, unsupported kind.</summary>
public sealed class ManifestFormatException : Exception
{
    public ManifestFormatException() { }

    public ManifestFormatException(string message) : base(message) { }

    public ManifestFormatException(string message, Exception innerException) : base(message, innerException) { }
}
