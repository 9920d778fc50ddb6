using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>
/// The inventory of an index of several platforms: each platform's layers are stacked on their own (an arm64 layer
/// must not hide an amd64 file), then the platforms' packages are united. Layer indexes refer to the image's distinct
/// layer list (<see cref="ImageScanned.Layers"/>); a package found on several platforms in the same layer counts once.
/// </summary>
public static class IndexInventory
{
    public static async Task<ImageInventory> SquashAsync(ImageScanned scan, Func<string, Task<LayerAnalysis>> layer)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(layer);
        var analyses = new Dictionary<string, LayerAnalysis>(StringComparer.Ordinal);
        foreach (var digest in scan.Layers) analyses[digest] = await layer(digest);
        if (scan.Platforms.Count <= 1) return ImageSquasher.Squash(scan.Layers.Select(d => analyses[d]).ToList());

        var position = scan.Layers.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i, StringComparer.Ordinal);
        var platforms = scan.Platforms
            .Select(p => ImageSquasher.Squash(p.Layers.Select(d => analyses.TryGetValue(d, out var a) ? a : throw MissingLayer(scan, p, d)).ToList()))
            .ToList();
        var packages = platforms
            .SelectMany(i => i.Packages)
            .Select(p => p with { LayerIndex = position[p.LayerDigest] })
            .DistinctBy(p => (p.Package.Key, p.Package.Path, p.LayerDigest))
            .OrderBy(p => p.LayerIndex)
            .ToList();
        var summaries = platforms
            .SelectMany(i => i.Layers)
            .DistinctBy(l => l.Digest, StringComparer.Ordinal)
            .Select(l => l with { Index = position[l.Digest], PackagesAdded = packages.Count(p => p.LayerDigest == l.Digest) })
            .OrderBy(l => l.Index)
            .ToList();
        var problems = platforms
            .SelectMany(i => i.Problems)
            .Select(p => p with { LayerIndex = position[p.LayerDigest] })
            .Distinct()
            .ToList();
        return new ImageInventory
        {
            Distribution = platforms.Select(i => i.Distribution).FirstOrDefault(d => d is not null),
            Packages = packages,
            Layers = summaries,
            Problems = problems,
        };
    }

    private static InvalidOperationException MissingLayer(ImageScanned scan, ScannedPlatform platform, string digest) =>
        new($"{scan.Image}: layer {digest} of platform {platform.Platform} is not among the scanned layers.");
}
