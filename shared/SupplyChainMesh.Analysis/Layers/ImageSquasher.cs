using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// Stacks the analyses of an image's layers, bottom first, the way the container runtime stacks the layers:
/// <list type="bullet">
/// <item>a file of a higher layer replaces the packages lower layers read from the same path (even if it holds none);</item>
/// <item><c>.wh.NAME</c> removes what lower layers had at NAME and below it; an opaque directory hides its lower content;</item>
/// <item>each surviving package is attributed to the lowest layer where the same package (<see cref="Package.Key"/>) was
/// found at the same path without a break: an upgraded package belongs to the upgrading layer, an untouched one keeps
/// its original layer (Trivy's semantics);</item>
/// <item>OS packages get the image's distribution as namespace and <c>distro</c> qualifier;</item>
/// <item>language packages read from files the OS package manager owns are dropped unless asked for (as Trivy does).</item>
/// </list>
/// </summary>
public static class ImageSquasher
{
    public static ImageInventory Squash(IReadOnlyList<LayerAnalysis> layers, bool includeOsOwnedLanguagePackages = false)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var live = new List<LivePackage>();
        var owned = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < layers.Count; index++)
        {
            var layer = layers[index];
            var scanned = new HashSet<string>(layer.ScannedFiles, StringComparer.Ordinal);
            var whiteouts = new HashSet<string>(layer.Whiteouts, StringComparer.Ordinal);
            var opaque = new HashSet<string>(layer.OpaqueDirectories, StringComparer.Ordinal);

            // Remember what this layer hides, so that a package it rewrites unchanged keeps its lower layer.
            var hidden = new Dictionary<(string Path, string Key), int>();
            live.RemoveAll(p =>
            {
                if (!IsHidden(p.File, scanned, whiteouts, opaque)) return false;
                hidden.TryAdd((p.Package.Path, p.Package.Key), p.LayerIndex);
                return true;
            });
            if (whiteouts.Count > 0 || opaque.Count > 0)
                owned.RemoveWhere(f => IsHidden(f, scanned: null, whiteouts, opaque));

            foreach (var package in layer.Packages)
            {
                var origin = hidden.TryGetValue((package.Path, package.Key), out var lower) ? lower : index;
                live.Add(new LivePackage(package, origin, FileOf(package.Path, scanned)));
            }
            owned.UnionWith(layer.OsOwnedFiles);
        }

        var distribution = layers
            .Select((l, i) => (Layer: l, Index: i))
            .Where(x => x.Layer.Distribution is not null)
            .OrderBy(x => DistributionRank.Of(x.Layer.DistributionPath ?? ""))
            .ThenByDescending(x => x.Index)
            .Select(x => x.Layer.Distribution)
            .FirstOrDefault();

        var packages = live
            .Where(p => includeOsOwnedLanguagePackages
                        || PurlType.IsOperatingSystem(p.Package.Type)
                        || !(owned.Contains(p.File) || owned.Contains(p.Package.Path)))
            .Select(p => new ImagePackage(WithDistribution(p.Package, distribution), p.LayerIndex, layers[p.LayerIndex].Digest))
            .OrderBy(p => p.LayerIndex)
            .ThenBy(p => p.Package.Type, StringComparer.Ordinal)
            .ThenBy(p => p.Package.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Package.Version, StringComparer.Ordinal)
            .ThenBy(p => p.Package.Path, StringComparer.Ordinal)
            .ToArray();

        var summaries = layers.Select((l, i) => new LayerSummary(
            i, l.Digest, l.Compression, l.Stats, l.Packages.Count,
            packages.Count(p => p.LayerIndex == i), l.Whiteouts.Count + l.OpaqueDirectories.Count, l.Problems.Count)).ToArray();
        var problems = layers
            .SelectMany((l, i) => l.Problems.Select(p => new ImageProblem(i, l.Digest, p.Path, p.Reason)))
            .ToArray();

        return new ImageInventory { Distribution = distribution, Packages = packages, Layers = summaries, Problems = problems };
    }

    private static Package WithDistribution(Package package, Distribution? distribution)
    {
        if (distribution is null || !PurlType.IsOperatingSystem(package.Type)) return package;
        if (package.Namespace is not null && package.Distro is not null) return package;
        return package with
        {
            Namespace = package.Namespace ?? distribution.Id,
            Distro = package.Distro ?? distribution.PurlQualifier,
        };
    }

    /// <summary>
    /// True when a lower layer's <paramref name="file"/> is replaced by a scanned file of this layer, deleted by a
    /// whiteout of it or of a directory above it, or sits below an opaque directory.
    /// </summary>
    private static bool IsHidden(string file, HashSet<string>? scanned, HashSet<string> whiteouts, HashSet<string> opaque)
    {
        if (scanned is not null && scanned.Contains(file)) return true;
        if (whiteouts.Count == 0 && opaque.Count == 0) return false;
        var whiteoutLookup = whiteouts.GetAlternateLookup<ReadOnlySpan<char>>();
        var opaqueLookup = opaque.GetAlternateLookup<ReadOnlySpan<char>>();
        if (opaque.Contains("")) return true;
        var path = file.AsSpan();
        if (whiteoutLookup.Contains(path)) return true;
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path[..slash].LastIndexOf('/'))
        {
            var ancestor = path[..slash];
            if (whiteoutLookup.Contains(ancestor) || opaqueLookup.Contains(ancestor)) return true;
        }
        return false;
    }

    /// <summary>
    /// The file a package was read from: its path, or the nearest scanned file above it when a detector points inside an
    /// archive (<c>app.jar!/lib/x.jar</c>, <c>app.jar/META-INF/...</c>).
    /// </summary>
    private static string FileOf(string packagePath, HashSet<string> scanned)
    {
        if (scanned.Contains(packagePath)) return packagePath;
        var lookup = scanned.GetAlternateLookup<ReadOnlySpan<char>>();
        var path = packagePath.AsSpan();
        for (var cut = path.LastIndexOfAny('/', '!'); cut > 0; cut = path[..cut].LastIndexOfAny('/', '!'))
        {
            if (lookup.TryGetValue(path[..cut], out var file)) return file;
        }
        return packagePath;
    }

    private sealed record LivePackage(Package Package, int LayerIndex, string File);
}
