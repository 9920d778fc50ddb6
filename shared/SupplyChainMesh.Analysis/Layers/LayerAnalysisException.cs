namespace SupplyChainMesh.Analysis.Layers;

/// <summary>A layer could not be analysed. <see cref="Exception.Message"/> names the layer and says why.</summary>
public class LayerAnalysisException : Exception
{
    public LayerAnalysisException()
    {
    }

    public LayerAnalysisException(string message) : base(message)
    {
    }

    public LayerAnalysisException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public LayerAnalysisException(string? layerDigest, string reason, Exception? innerException = null)
        : base(layerDigest is null ? reason : $"layer {layerDigest}: {reason}", innerException)
    {
        LayerDigest = layerDigest;
        Reason = reason;
    }

    /// <summary>The digest of the layer, when known.</summary>
    public string? LayerDigest { get; }

    /// <summary>Why the layer failed, without the digest.</summary>
    public string Reason { get; } = "";
}
