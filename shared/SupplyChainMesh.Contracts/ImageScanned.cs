namespace SupplyChainMesh.Contracts;

/// <summary>Every layer of an image is analysed (or the scan failed). Published by the scan saga; consumed by FeedSync's
/// matcher, which assembles the inventory from the stored layer findings.</summary>
public sealed record ImageScanned
{
    public required Guid ScanId { get; init; }

    public required ImageIdentity Image { get; init; }

    /// <summary>Layer digests bottom first of the manifest that was scanned; for an index of several platforms, the distinct
    /// layers of all of them (each platform's own order is in <see cref="Platforms"/>).</summary>
    public required IReadOnlyList<string> Layers { get; init; }

    /// <summary>For an index: every runnable platform scanned (attestations left out), with its manifest and its layers
    /// bottom first. Empty for a plain manifest. With more than one platform, the image's findings are the union of the
    /// platforms' (each platform's layers are stacked on their own).</summary>
    public IReadOnlyList<ScannedPlatform> Platforms { get; init; } = [];

    /// <summary>Who pushed the image, when the registry said (<see cref="ImagePushed.Actor"/>).</summary>
    public string? PushedBy { get; init; }

    public required string AnalyzerVersion { get; init; }

    public required bool Succeeded { get; init; }

    public string? FailureReason { get; init; }
}

/// <summary>One platform of a scanned index: <c>linux/arm64/v8</c>, its manifest digest and its layers, bottom first.</summary>
public sealed record ScannedPlatform(string Platform, string Digest, IReadOnlyList<string> Layers);
