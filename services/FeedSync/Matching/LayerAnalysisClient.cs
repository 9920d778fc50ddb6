using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>Reads a layer's stored analysis from LayerScanner (<c>GET /api/scans/layers/{digest}/analysis</c>).</summary>
public sealed class LayerAnalysisClient(HttpClient http)
{
    public async Task<LayerAnalysis> GetAsync(string digest, string analyzerVersion, CancellationToken cancellationToken)
    {
        var path = $"api/scans/layers/{Uri.EscapeDataString(digest)}/analysis?analyzerVersion={Uri.EscapeDataString(analyzerVersion)}";
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            throw new LayerAnalysisMissingException($"LayerScanner has no analysis of layer {digest} by {analyzerVersion}.");
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        return AnalysisJson.DeserializeLayer(json) ?? throw new LayerAnalysisMissingException($"LayerScanner returned an empty analysis of layer {digest}.");
    }
}

/// <summary>The scan said the layer was analysed, but its analysis cannot be read (yet): the message is retried.</summary>
public sealed class LayerAnalysisMissingException : Exception
{
    public LayerAnalysisMissingException() { }

    public LayerAnalysisMissingException(string message) : base(message) { }

    public LayerAnalysisMissingException(string message, Exception inner) : base(message, inner) { }
}
