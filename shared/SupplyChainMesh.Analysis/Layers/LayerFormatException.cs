namespace SupplyChainMesh.Analysis.Layers;

/// <summary>The layer blob is not a readable layer: corrupt or truncated compression, or a malformed tar.</summary>
public sealed class LayerFormatException : LayerAnalysisException
{
    public LayerFormatException()
    {
    }

    public LayerFormatException(string message) : base(message)
    {
    }

    public LayerFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public LayerFormatException(string? layerDigest, string reason, Exception? innerException = null)
        : base(layerDigest, reason, innerException)
    {
    }
}
