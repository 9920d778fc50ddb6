namespace SupplyChainMesh.Contracts;

/// <summary>Every layer of an image is analysed (or the scan failed). Published by the scan saga; consumed by FeedSync's
/// matcher, which assembles the inventory from the stored layer findings.</summary>
public sealed record ImageScanned
{
    public required Guid ScanId { get; init; }

    public required ImageIdentity Image { get; init; }

    /// <summary>Layer digests bottom first (of the platform manifest that was scanned).</summary>
    public required IReadOnlyList<string> Layers { get; init; }

    public required string AnalyzerVersion { get; init; }

    public required bool Succeeded { get; init; }

    public string? FailureReason { get; init; }
}
