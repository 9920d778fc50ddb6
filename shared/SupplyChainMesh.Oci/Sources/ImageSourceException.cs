namespace SupplyChainMesh.Oci.Sources;

/// <summary>A local image (OCI layout, docker archive) is missing, ambiguous or malformed; the message says what and where.</summary>
public sealed class ImageSourceException : Exception
{
    public ImageSourceException() { }

    public ImageSourceException(string message) : base(message) { }

    public ImageSourceException(string message, Exception innerException) : base(message, innerException) { }
}
