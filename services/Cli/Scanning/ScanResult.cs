using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Sources;

namespace SupplyChainMesh.Cli.Scanning;

/// <summary>One scanned image (one platform of an index): its inventory and, when feeds were given, the findings that
/// remain after the <c>--severity</c> and <c>--ignore-unfixed</c> filters.</summary>
internal sealed record ScanResult(ImageReference Reference, ResolvedImage Image, ImageInventory Inventory)
{
    /// <summary>Null when no feeds were given (inventory only); empty when nothing matched.</summary>
    public IReadOnlyList<ImageFinding>? Findings { get; init; }
}

/// <summary>A finding of an installed package of the image, with the layer that added the package.</summary>
internal sealed record ImageFinding(Finding Finding, ImagePackage Package)
{
    public int LayerIndex => Package.LayerIndex;

    public string LayerDigest => Package.LayerDigest;

    public string Path => Package.Package.Path;
}
