using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.Layers;

/// <summary>Squash semantics, through the whole pipeline on layers built in memory.</summary>
public sealed class ImageSquasherTests
{
    private static async Task<ImageInventory> AnalyzeAsync(LayerAnalysisOptions? options, params TestLayer[] layers)
    {
        var analyzer = new ImageAnalyzer(
            [new LinePackageDetector(), new DpkgStatusDetector(), new OsReleaseDetector()],
            options ?? LayerAnalysisOptions.Default);
        var sources = layers.Select((l, i) => TestLayer.Source(l.Gzip(), $"sha256:{i}")).ToArray();
        return await analyzer.AnalyzeImageAsync(sources, default);
    }

    private static Task<ImageInventory> AnalyzeAsync(params TestLayer[] layers) => AnalyzeAsync(null, layers);

    private static string[] Rows(ImageInventory inventory) =>
        inventory.Packages.Select(p => $"{p.Package.Name}@{p.Package.Version}:{p.LayerIndex}").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task A_rewritten_file_keeps_unchanged_packages_in_their_lower_layer_and_gives_upgrades_to_the_upper()
    {
        var inventory = await AnalyzeAsync(
            new TestLayer().File("app/deps.pkg", "a 1\nb 1\n"),
            new TestLayer().File("app/deps.pkg", "a 1\nb 2\nc 1\n"));

        Assert.Equal(["a@1:0", "b@2:1", "c@1:1"], Rows(inventory));
        Assert.Equal("sha256:0", inventory.Packages.Single(p => p.Package.Name == "a").LayerDigest);
        Assert.Equal([1, 2], inventory.Layers.Select(l => l.PackagesAdded));
        Assert.Equal([2, 3], inventory.Layers.Select(l => l.PackagesFound));
    }

    [Fact]
    public async Task A_file_emptied_in_a_higher_layer_removes_the_lower_packages()
    {
        var inventory = await AnalyzeAsync(
            new TestLayer().File("app/deps.pkg", "a 1\n"),
            new TestLayer().File("app/deps.pkg", ""));

        Assert.Empty(inventory.Packages);
    }

    [Fact]
    public async Task Whiteouts_of_files_and_directories_remove_what_lower_layers_added()
    {
        var inventory = await AnalyzeAsync(
            new TestLayer().File("app/one.pkg", "one 1").File("lib/x/two.pkg", "two 1").File("keep.pkg", "keep 1"),
            new TestLayer().Whiteout("app/one.pkg").Whiteout("lib/x"));

        Assert.Equal(["keep@1:0"], Rows(inventory));
        Assert.Equal(2, inventory.Layers[1].Whiteouts);
    }

    [Fact]
    public async Task An_opaque_directory_hides_lower_content_but_not_its_own_layer()
    {
        var inventory = await AnalyzeAsync(
            new TestLayer().File("opt/app/old.pkg", "old 1").File("opt/other.pkg", "other 1"),
            new TestLayer().Opaque("opt/app").File("opt/app/new.pkg", "new 1"),
            new TestLayer().File("opt/app/newer.pkg", "newer 1"));

        Assert.Equal(["new@1:1", "newer@1:2", "other@1:0"], Rows(inventory));
    }

    [Fact]
    public async Task A_package_deleted_and_added_again_belongs_to_the_layer_that_added_it_again()
    {
        var inventory = await AnalyzeAsync(
            new TestLayer().File("a.pkg", "a 1"),
            new TestLayer().Whiteout("a.pkg"),
            new TestLayer().File("a.pkg", "a 1"));

        Assert.Equal(["a@1:2"], Rows(inventory));
    }

    [Fact]
    public async Task Os_packages_get_the_image_distribution_as_namespace_and_distro()
    {
        const string status = """
            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Source: glibc
            Version: 2.36-9+deb12u9

            """;
        var inventory = await AnalyzeAsync(
            new TestLayer().File("var/lib/dpkg/status", status),
            new TestLayer().File("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n").File("etc/debian_version", "12.4\n"),
            new TestLayer().File("etc/debian_version", "bookworm/sid\n"));

        Assert.Equal(new Distribution("debian", "12"), inventory.Distribution);
        var libc = Assert.Single(inventory.Packages).Package;
        Assert.Equal("pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12", libc.Purl);
        Assert.Equal(("glibc", "2.36-9+deb12u9"), (libc.SourceName, libc.SourceVersion));
    }

    [Fact]
    public async Task Language_packages_in_files_dpkg_owns_are_dropped_unless_asked_for()
    {
        TestLayer[] Layers() =>
        [
            new TestLayer()
                .File("var/lib/dpkg/info/python3-requests.list", "/.\n/usr\n/usr/lib/python3/dist-packages/requests.pkg\n")
                .File("usr/lib/python3/dist-packages/requests.pkg", "requests 2.28.1")
                .File("srv/app.pkg", "mine 1"),
        ];

        var byDefault = await AnalyzeAsync(Layers());
        var included = await AnalyzeAsync(new LayerAnalysisOptions { IncludeOsOwnedLanguagePackages = true }, Layers());

        Assert.Equal(["mine@1:0"], Rows(byDefault));
        Assert.Equal(["mine@1:0", "requests@2.28.1:0"], Rows(included));
    }

    [Fact]
    public async Task Problems_of_every_layer_are_kept_with_their_layer()
    {
        var inventory = await AnalyzeAsync(
            new TestLayer().File("a.pkg", "a 1"),
            new TestLayer().File("b.pkg", "not-a-package-line"));

        var problem = Assert.Single(inventory.Problems);
        Assert.Equal((1, "sha256:1", "b.pkg"), (problem.LayerIndex, problem.LayerDigest, problem.Path));
        var json = AnalysisJson.Serialize(inventory);
        Assert.Equal(json, AnalysisJson.Serialize(AnalysisJson.DeserializeImage(json)!));
    }
}
