using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// What one layer holds, independent of the images that use it: stored once per (<see cref="Digest"/>,
/// <see cref="AnalyzerVersion"/>) and squashed with the other layers of an image by <see cref="ImageSquasher"/>.
/// </summary>
public sealed record LayerAnalysis
{
    /// <summary>The layer blob's digest (<c>sha256:...</c>).</summary>
    public required string Digest { get; init; }

    /// <summary>The layer machinery's and every detector's name and version: part of the cache key.</summary>
    public required string AnalyzerVersion { get; init; }

    public LayerCompression Compression { get; init; }

    public IReadOnlyList<Package> Packages { get; init; } = [];

    /// <summary>
    /// Every file handed to a detector. A file of a higher layer replaces the lower layers' packages read from the same
    /// path even when it yields none (a dpkg status emptied by a purge).
    /// </summary>
    public IReadOnlyList<string> ScannedFiles { get; init; } = [];

    /// <summary>Files owned by the OS package manager (dpkg's <c>info/*.list</c>, ...), normalised.</summary>
    public IReadOnlyList<string> OsOwnedFiles { get; init; } = [];

    /// <summary>The distribution this layer's release files describe, if it has any.</summary>
    public Distribution? Distribution { get; init; }

    /// <summary>The file <see cref="Distribution"/> came from.</summary>
    public string? DistributionPath { get; init; }

    /// <summary>Paths deleted from lower layers by <c>.wh.NAME</c> entries.</summary>
    public IReadOnlyList<string> Whiteouts { get; init; } = [];

    /// <summary>Directories whose lower-layer content is hidden (<c>.wh..wh..opq</c>).</summary>
    public IReadOnlyList<string> OpaqueDirectories { get; init; } = [];

    public IReadOnlyList<LayerProblem> Problems { get; init; } = [];

    public LayerStats Stats { get; init; } = new(0, 0, 0, 0);
}

/// <summary>Something in a layer that was skipped, with the path and why.</summary>
public sealed record LayerProblem(string Path, string Reason);

/// <summary>Sizes of a layer as read: blob bytes, tar bytes, tar entries, files handed to detectors.</summary>
public sealed record LayerStats(long CompressedBytes, long UncompressedBytes, long Entries, long FilesScanned);
