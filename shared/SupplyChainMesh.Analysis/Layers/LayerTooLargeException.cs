namespace SupplyChainMesh.Analysis.Layers;

/// <summary>The layer exceeds a limit of <see cref="LayerAnalysisOptions"/> (a decompression bomb, too many entries).</summary>
public sealed class LayerTooLargeException : LayerAnalysisException
{
    public LayerTooLargeException()
    {
    }

    public LayerTooLargeException(string message) : base(message)
    {
    }

    public LayerTooLargeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public LayerTooLargeException(string? layerDigest, string reason, Exception? innerException = null)
        : base(layerDigest, reason, innerException)
    {
    }
}
