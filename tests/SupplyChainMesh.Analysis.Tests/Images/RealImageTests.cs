using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Tests.Images;

/// <summary>
/// The images ../shared/images/build-images.sh builds (SCM_TEST_IMAGES), read from their OCI layout with every
/// detector of the library. expected/TAG/dpkg.tsv is dpkg-query's "name TAB version" list of the built image.
/// </summary>
public sealed class RealImageTests
{
    private static readonly ImageAnalyzer Analyzer = new(Detectors.All(), LayerAnalysisOptions.Default);

    private static string[] ExpectedDpkg(string tag) =>
        File.ReadAllLines(OciLayoutImages.Expected(tag, "dpkg.tsv"))
            .Where(l => l.Length > 0)
            .Select(l => string.Join('\t', l.Split('\t')[..2]))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string[] DpkgRows(ImageInventory inventory) =>
        inventory.Packages
            .Where(p => p.Package.Type == PurlType.Deb)
            .Select(p => $"{p.Package.Name}\t{p.Package.Version}")
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Theory]
    [InlineData("bookworm-minbase")]
    [InlineData("bookworm-apps")]
    [InlineData("bookworm-purged")]
    [InlineData("app-mixed")]
    public async Task Dpkg_packages_equal_the_images_own_dpkg_query_list(string tag)
    {
        var inventory = await Analyzer.AnalyzeImageAsync(OciLayoutImages.Layers(tag), default);

        Assert.Equal(ExpectedDpkg(tag), DpkgRows(inventory));
        Assert.Equal(new Distribution("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)"), inventory.Distribution);
        Assert.All(inventory.Packages.Where(p => p.Package.Type == PurlType.Deb), p =>
        {
            Assert.Equal("debian", p.Package.Namespace);
            Assert.Equal("debian-12", p.Package.Distro);
            Assert.Equal("var/lib/dpkg/status", p.Package.Path);
        });
    }

    [Fact]
    public async Task Bookworm_minbase_has_source_packages_and_owned_files()
    {
        var layer = Assert.Single(OciLayoutImages.Layers("bookworm-minbase"));

        var analysis = await Analyzer.AnalyzeLayerAsync(layer, default);

        var libc = analysis.Packages.Single(p => p.Name == "libc6");
        Assert.Equal(("glibc", "amd64"), (libc.SourceName, libc.Arch));
        Assert.Equal(libc.Version, libc.SourceVersion);
        Assert.Contains("usr/bin/dpkg", analysis.OsOwnedFiles);
        Assert.Equal("usr/lib/os-release", analysis.DistributionPath);
        Assert.Equal(layer.Size, analysis.Stats.CompressedBytes);
        // The tar's size as the image build measured it (gzip -dc | wc -c); it varies a little between builds.
        Assert.Equal(UncompressedBytesFromBuild(layer.Digest), analysis.Stats.UncompressedBytes);
        Assert.Empty(analysis.Problems);
    }

    [Fact]
    public async Task Bookworm_purged_loses_the_purged_packages_and_keeps_lower_layer_attribution()
    {
        var layers = OciLayoutImages.Layers("bookworm-purged");
        Assert.Equal(3, layers.Count);

        var inventory = await Analyzer.AnalyzeImageAsync(layers, default);
        var apps = await Analyzer.AnalyzeImageAsync(OciLayoutImages.Layers("bookworm-apps"), default);

        var names = inventory.Packages.Where(p => p.Package.Type == PurlType.Deb).Select(p => p.Package.Name).ToHashSet();
        Assert.DoesNotContain("python3-requests", names);
        Assert.DoesNotContain("liblog4j2-java", names);
        Assert.Contains("python3-requests", apps.Packages.Select(p => p.Package.Name));
        Assert.Contains("liblog4j2-java", apps.Packages.Select(p => p.Package.Name));

        // Layer 3 rewrote the status file; packages it did not change keep the layer that installed them.
        var deb = inventory.Packages.Where(p => p.Package.Type == PurlType.Deb).ToArray();
        Assert.Equal(layers[0].Digest, deb.Single(p => p.Package.Name == "libc6").LayerDigest);
        Assert.Equal(0, deb.Single(p => p.Package.Name == "dpkg").LayerIndex);
        Assert.Equal(1, deb.Single(p => p.Package.Name == "python3").LayerIndex);
        Assert.DoesNotContain(deb, p => p.LayerIndex == 2);
        Assert.Equal(
            apps.Packages.Where(p => p.Package.Type == PurlType.Deb && names.Contains(p.Package.Name))
                .Select(p => (p.Package.Name, p.LayerIndex)).Order(),
            deb.Select(p => (p.Package.Name, p.LayerIndex)).Order());

        // The whiteouts of the purge are those the image builder recorded.
        var expectedWhiteouts = File.ReadAllLines(Path.Combine(Testing.RepositoryLayout.TestImages, "expected", "bookworm-purged.whiteouts.txt"))
            .Where(l => l.Length > 0)
            .Select(l => l.Replace(".wh.", "", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        var analysis = await Analyzer.AnalyzeLayerAsync(layers[2], default);
        Assert.Equal(expectedWhiteouts, analysis.Whiteouts.Order(StringComparer.Ordinal));
        Assert.Equal(2, inventory.Layers[2].Index);
    }

    [Fact]
    public async Task The_same_layer_analysed_twice_gives_the_same_json()
    {
        var layer = OciLayoutImages.Layers("bookworm-purged")[2];

        var first = AnalysisJson.Serialize(await Analyzer.AnalyzeLayerAsync(layer, default));
        var second = AnalysisJson.Serialize(await Analyzer.AnalyzeLayerAsync(layer, default));

        Assert.Equal(first, second);
    }

    /// <summary>The uncompressed size build-images.sh recorded for a layer in <c>layers.tsv</c>.</summary>
    private static long UncompressedBytesFromBuild(string digest)
    {
        var lines = File.ReadAllLines(Path.Combine(SupplyChainMesh.Testing.RepositoryLayout.TestImages, "layers.tsv"));
        var header = lines[0].Split('\t');
        int digestColumn = Array.IndexOf(header, "digest"), sizeColumn = Array.IndexOf(header, "uncompressed_bytes");
        var row = lines.Skip(1).Select(l => l.Split('\t')).First(r => r[digestColumn] == digest);
        return long.Parse(row[sizeColumn], System.Globalization.CultureInfo.InvariantCulture);
    }
}
