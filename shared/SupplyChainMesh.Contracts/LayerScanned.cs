namespace SupplyChainMesh.Contracts;

/// <summary>A layer's analysis finished (or failed). Published by LayerScanner; consumed by the scan saga.</summary>
public sealed record LayerScanned
{
    public required Guid ScanId { get; init; }

    public required ImageIdentity Image { get; init; }

    public required string LayerDigest { get; init; }

    public required int Index { get; init; }

    public required bool Succeeded { get; init; }

    /// <summary>Why the layer could not be analysed (corrupt gzip, digest mismatch, too large, registry timeout...).</summary>
    public string? FailureReason { get; init; }

    public int PackageCount { get; init; }

    /// <summary>Detector set and versions: with the digest, the key of the stored findings.</summary>
    public required string AnalyzerVersion { get; init; }

    /// <summary>True when the findings came from the store without reading the blob.</summary>
    public bool FromCache { get; init; }

    /// <summary>How many distinct layers the image's scan waits for (copied from <see cref="ScanLayer.LayerCount"/>; 0 from
    /// older senders): the m of "n of m". Count distinct <see cref="LayerDigest"/>s for n.</summary>
    public int LayerCount { get; init; }
}
