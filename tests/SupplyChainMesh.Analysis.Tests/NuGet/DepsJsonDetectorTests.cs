using System.Text;
using SupplyChainMesh.Analysis.NuGet;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.NuGet;

public class DepsJsonDetectorTests
{
    private readonly DepsJsonDetector _detector = new();

    // Expected lists follow the newest Trivy's dotnet-deps rules (its own test expectations for these files): package
    // libraries (runtime packs under their own name) that the runtime target gives runtime/native assets to; projects
    // and reference assemblies are not NuGet packages.
    [Theory]
    [InlineData("MyApp.deps.json", "Newtonsoft.Json/13.0.3")]
    [InlineData("TestLibrary.deps.json", "AWSSDK.Core/3.7.10.6,Microsoft.Extensions.DependencyInjection.Abstractions/6.0.0,Microsoft.Extensions.DependencyInjection/6.0.0,Microsoft.Extensions.Logging.Abstractions/6.0.0,Microsoft.Extensions.Logging/6.0.0,Microsoft.Extensions.Options/6.0.0,Microsoft.Extensions.Primitives/6.0.0,Newtonsoft.Json/13.0.1,Serilog.Sinks.Console/4.0.1,Serilog/2.10.0")]
    [InlineData("datacollector.deps.json", "Newtonsoft.Json/9.0.1")]
    [InlineData("happy.deps.json", "Newtonsoft.Json/13.0.1")]
    [InlineData("multi-project.deps.json", "Newtonsoft.Json/13.0.3")]
    [InlineData("self-contained.deps.json", "Microsoft.AspNetCore.App.Runtime.linux-x64/8.0.0,Microsoft.NETCore.App.Runtime.linux-x64/8.0.0,Newtonsoft.Json/13.0.1")]
    [InlineData("without-runtime.deps.json", "JsonDiffPatch/2.0.61,Libuv/1.9.1,System.Collections.Immutable/1.3.0")]
    public async Task Fixture_deps_json_yields_runtime_packages(string fixture, string expected)
    {
        var file = Path.Combine(RepositoryLayout.Fixtures, "lang", "dotnet", fixture);
        var sink = await DetectorRun.FileAsync(new DepsJsonDetector(runtimeAssetsOnly: true), file, "app/" + fixture);
        Assert.Empty(sink.Problems);
        Assert.Equal(expected, string.Join(',', sink.Packages.Select(p => $"{p.Name}/{p.Version}").Order(StringComparer.Ordinal)));
        Assert.All(sink.Packages, p => Assert.Equal("nuget", p.Type));
    }

    [Theory]
    [InlineData("TestLibrary.deps.json", 12)]
    [InlineData("without-runtime.deps.json", 7)]
    [InlineData("MyApp.deps.json", 1)]
    public async Task By_default_every_package_library_counts(string fixture, int count)
    {
        var file = Path.Combine(RepositoryLayout.Fixtures, "lang", "dotnet", fixture);
        var sink = await DetectorRun.FileAsync(_detector, file, "app/" + fixture);
        Assert.Equal(count, sink.Packages.Count);
    }

    [Fact]
    public async Task App_mixed_image_yields_the_ground_truth_packages()
    {
        var expected = File.ReadAllLines(Path.Combine(TestImageScan.ImagesDirectory, "expected", "app-mixed", "nuget.txt"))
            .Where(l => l.Length > 0).Order(StringComparer.Ordinal);
        var scan = await TestImageScan.ScanAsync("app-mixed", _detector);
        Assert.Empty(scan.Problems);
        Assert.Equal(expected, scan.By("dotnet-deps").Select(p => $"{p.Name}/{p.Version}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task App_mixed_agrees_with_trivy_inventory()
    {
        var peer = PeerInventory.Components("app-mixed", "dotnet-core");
        var scan = await TestImageScan.ScanAsync("app-mixed", _detector);
        Assert.NotEmpty(peer);
        Assert.Equal(peer.Select(c => $"{c.Name}/{c.Version}").Order(StringComparer.Ordinal),
            scan.By("dotnet-deps").Select(p => $"{p.Name}/{p.Version}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{\"libraries\": {\"A/1\": {\"type\": \"package\"}")]
    [InlineData("{\"targets\": {}}")]
    [InlineData("[]")]
    [InlineData("not json at all")]
    public async Task Malformed_deps_json_is_a_problem(string json)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(json), "app/x.deps.json");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Fact]
    public async Task Library_key_without_version_is_a_problem_and_the_rest_is_kept()
    {
        var json = "{\"libraries\": {\"Broken\": {\"type\": \"package\"}, \"Good/1.0.0\": {\"type\": \"package\"}, \"Odd/2\": 5}}";
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(json), "app/x.deps.json");
        Assert.Equal("Good", Assert.Single(sink.Packages).Name);
        Assert.Single(sink.Problems);
    }
}
