using System.Text;
using SupplyChainMesh.Analysis.Npm;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;

namespace SupplyChainMesh.Analysis.Tests.Npm;

public class PackageJsonDetectorTests
{
    private readonly PackageJsonDetector _detector = new();

    [Theory]
    [InlineData("app/node_modules/lodash/package.json", true)]
    [InlineData("node_modules/lodash/package.json", true)]
    [InlineData("app/node_modules/@babel/core/package.json", true)]
    [InlineData("app/package.json", false)]
    [InlineData("app/node_modules/lodash/package.json.bak", false)]
    [InlineData("app/node_modules_old/x/package.json", false)]
    public void Wants_only_package_json_inside_node_modules(string path, bool wanted) =>
        Assert.Equal(wanted, _detector.Wants(new SupplyChainMesh.Analysis.Layers.LayerFile(path, 100, 0b110_100_100)));

    [Fact]
    public async Task App_mixed_image_yields_every_installed_package_json_with_lockfile_versions()
    {
        var expectedDir = Path.Combine(TestImageScan.ImagesDirectory, "expected", "app-mixed");
        // Ground truth: the package.json files under node_modules (paths) and the lockfile's name@version list.
        var expectedPaths = File.ReadAllLines(Path.Combine(expectedDir, "npm-package-json.txt"))
            .Where(l => l.Length > 0).Select(l => l.TrimStart('.', '/')).ToHashSet(StringComparer.Ordinal);
        var lockEntries = File.ReadAllLines(Path.Combine(expectedDir, "npm-lock.txt")).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);

        var scan = await TestImageScan.ScanAsync("app-mixed", _detector);
        var packages = scan.By("npm").ToList();

        Assert.Empty(scan.Problems);
        Assert.Equal(expectedPaths.Order(StringComparer.Ordinal), packages.Select(p => p.Path).Order(StringComparer.Ordinal));
        foreach (var p in packages)
        {
            var full = p.Namespace is null ? p.Name : $"{p.Namespace}/{p.Name}";
            Assert.Contains($"{full}@{p.Version}", lockEntries);
        }
        Assert.Contains(packages, p => p is { Name: "lodash", Version: "4.17.20", Namespace: null } && p.Licenses.SequenceEqual(["MIT"]));
        Assert.Contains(packages, p => p is { Name: "minimist", Version: "1.2.5" });
        Assert.Contains(packages, p => p is { Name: "express", Version: "4.17.1" });
        var esbuild = Assert.Single(packages, p => p.Namespace == "@esbuild");
        Assert.Equal("linux-x64", esbuild.Name);
        Assert.Equal("pkg:npm/%40esbuild/linux-x64@0.18.20", esbuild.Purl);
        // Copies of ms at different places in the tree are each installed and each reported.
        Assert.Equal(expectedPaths.Count(p => p.EndsWith("/ms/package.json", StringComparison.Ordinal)), packages.Count(p => p.Name == "ms"));
        Assert.True(packages.Count(p => p.Name == "ms") > 1);
    }

    [Fact]
    public async Task App_mixed_agrees_with_trivy_inventory()
    {
        var peer = PeerInventory.Components("app-mixed", "node-pkg");
        var scan = await TestImageScan.ScanAsync("app-mixed", _detector);
        var ours = scan.By("npm").Select(p => (p.Namespace is null ? p.Name : $"{p.Namespace}/{p.Name}", p.Version)).ToHashSet();
        Assert.NotEmpty(peer);
        // The one difference: Trivy also reports the application's own manifest (app/package.json, the root project
        // "vulnerable-node-app") as a package. It is not inside node_modules, so it is not an installed dependency and
        // no advisory names it; we leave it out on purpose.
        var peerDependencies = peer.Where(c => c.Name != "vulnerable-node-app").Select(c => (c.Name, c.Version)).ToHashSet();
        Assert.Equal(peer.Count - 1, peerDependencies.Count);
        Assert.Equal(peerDependencies.Order(), ours.Order());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"version\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"name\": \"x\" \"version\": \"1\"}")]
    [InlineData("\u0000\u0001garbage")]
    [InlineData("")]
    public async Task Malformed_json_is_a_problem_not_an_exception(string json)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(json), "app/node_modules/x/package.json");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Theory]
    [InlineData("{\"type\": \"module\"}")]
    [InlineData("{\"name\": \"x\"}")]
    [InlineData("{\"version\": \"1.0.0\", \"license\": \"MIT\"}")]
    public async Task Package_json_without_identity_is_skipped_silently(string json)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(json), "app/node_modules/x/lib/package.json");
        Assert.Empty(sink.Packages);
        Assert.Empty(sink.Problems);
    }

    [Theory]
    [InlineData("{\"name\":\"a\",\"version\":\"1.0.0\",\"license\":{\"type\":\"ISC\",\"url\":\"u\"}}", "ISC")]
    [InlineData("{\"name\":\"a\",\"version\":\"1.0.0\",\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"Apache-2.0\"}]}", "MIT,Apache-2.0")]
    [InlineData("{\"name\":\"a\",\"version\":\"1.0.0\",\"license\":\"(MIT OR Apache-2.0)\"}", "(MIT OR Apache-2.0)")]
    public async Task Licence_forms_of_old_and_new_package_json(string json, string expected)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(json), "node_modules/a/package.json");
        var package = Assert.Single(sink.Packages);
        Assert.Equal(expected, string.Join(',', package.Licenses));
    }
}
