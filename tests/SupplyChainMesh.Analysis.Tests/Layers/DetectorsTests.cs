using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Maven;
using SupplyChainMesh.Analysis.NuGet;
using SupplyChainMesh.Analysis.Rust;

namespace SupplyChainMesh.Analysis.Tests.Layers;

public sealed class DetectorsTests
{
    [Fact]
    public void All_finds_the_library_detectors_once_each_with_distinct_names()
    {
        var all = Detectors.All();

        Assert.Contains(all, d => d is DpkgStatusDetector);
        Assert.Contains(all, d => d is OsReleaseDetector);
        // Detectors whose constructor parameters all have defaults count as well.
        Assert.Contains(all, d => d is JarDetector);
        Assert.Contains(all, d => d is DepsJsonDetector);
        Assert.Contains(all, d => d is CargoAuditableDetector);
        Assert.Equal(all.Count, all.Select(d => d.Name).Distinct().Count());
        Assert.NotSame(all[0], Detectors.All()[0]);
    }

    [Fact]
    public void The_analyzer_version_names_every_detector()
    {
        var analyzer = new ImageAnalyzer();
        foreach (var detector in Detectors.All())
            Assert.Contains($"{detector.Name}/{detector.Version}", analyzer.AnalyzerVersion, StringComparison.Ordinal);
    }
}
