namespace SupplyChainMesh.LayerScanner.Infrastructure;

/// <summary>A layer's analysis, stored once per (layer digest, analyzer version): content-addressed, so every image
/// sharing the layer reuses it. <see cref="Json"/> holds the full LayerAnalysis; failed analyses keep their reason.</summary>
public sealed class LayerFinding
{
    public required string Digest { get; set; }
    public required string AnalyzerVersion { get; set; }
    public required bool Succeeded { get; set; }
    public string? FailureReason { get; set; }
    public int PackageCount { get; set; }
    public long CompressedBytes { get; set; }
    public long UncompressedBytes { get; set; }
    public string? Json { get; set; }
    public DateTimeOffset AnalyzedAt { get; set; }
    public double Seconds { get; set; }
}
