namespace SupplyChainMesh.Oci.References;

/// <summary>An image reference that does not follow the grammar; the message says which part and why.</summary>
public sealed class ImageReferenceException : FormatException
{
    public ImageReferenceException() { }

    public ImageReferenceException(string message) : base(message) { }

    public ImageReferenceException(string message, Exception innerException) : base(message, innerException) { }

    public ImageReferenceException(string reference, string reason)
        : base($"Invalid image reference '{reference}': {reason}")
    {
        Reference = reference;
    }

    /// <summary>The text that was rejected.</summary>
    public string? Reference { get; }
}
