namespace SupplyChainMesh.Contracts;

/// <summary>Command: analyse one layer blob. Sent by the scan saga; consumed by LayerScanner workers as competing
/// consumers. The findings are stored once per (layer digest, analyzer version).</summary>
public sealed record ScanLayer
{
    /// <summary>The scan saga that wants the answer (<see cref="ImageIdentity.ScanId"/>).</summary>
    public required Guid ScanId { get; init; }

    public required ImageIdentity Image { get; init; }

    public required string LayerDigest { get; init; }

    public required string MediaType { get; init; }

    public required long Size { get; init; }

    /// <summary>Position of the layer in the image, bottom first.</summary>
    public required int Index { get; init; }

    /// <summary>How many distinct layers the image's scan waits for (all platforms of an index): the m of "n of m".</summary>
    public int LayerCount { get; init; }
}
