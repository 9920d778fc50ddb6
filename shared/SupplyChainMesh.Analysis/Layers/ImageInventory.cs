using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>What an image holds once its layers are squashed: every surviving package with the layer that added it.</summary>
public sealed record ImageInventory
{
    public Distribution? Distribution { get; init; }

    /// <summary>Surviving packages, ordered by layer, type, name, version and path.</summary>
    public IReadOnlyList<ImagePackage> Packages { get; init; } = [];

    /// <summary>One summary per layer, bottom first.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; init; } = [];

    public IReadOnlyList<ImageProblem> Problems { get; init; } = [];
}

/// <summary>A package of the squashed image and the layer (index from 0 at the bottom, and digest) that added it.</summary>
public sealed record ImagePackage(Package Package, int LayerIndex, string LayerDigest);

/// <summary>
/// One layer of an image: <see cref="PackagesFound"/> is what its files hold, <see cref="PackagesAdded"/> how many of
/// the image's surviving packages it is the origin of.
/// </summary>
public sealed record LayerSummary(int Index, string Digest, LayerCompression Compression, LayerStats Stats,
    int PackagesFound, int PackagesAdded, int Whiteouts, int Problems);

/// <summary>A problem of one layer of the image.</summary>
public sealed record ImageProblem(int LayerIndex, string LayerDigest, string Path, string Reason);
