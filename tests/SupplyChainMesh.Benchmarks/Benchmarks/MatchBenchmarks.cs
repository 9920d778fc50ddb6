using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>Loading the whole feed corpus (<c>../shared/feeds</c>) into the in-memory index: time and allocations.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class FeedLoadBenchmarks
{
    private string _feeds = null!;

    [GlobalSetup]
    public void Setup() => _feeds = BenchmarkMaterial.Feeds;

    [Benchmark]
    public int LoadWholeCorpus()
    {
        var (index, _) = FeedCorpus.LoadAsync(_feeds, VersionSchemes.ForOsvEcosystem).GetAwaiter().GetResult();
        return index.AffectedCount;
    }
}

/// <summary>
/// Matching one image's 500 packages (the real inventories Trivy reported for the test images: Debian 12 packages with
/// their source packages, npm, NuGet, Go) against the whole corpus, warm. Target: under 50 ms.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MatchBenchmarks
{
    private Matcher _matcher = null!;
    private List<Package> _packages = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (index, _) = FeedCorpus.LoadAsync(BenchmarkMaterial.Feeds, VersionSchemes.ForOsvEcosystem).GetAwaiter().GetResult();
        _matcher = new Matcher(index);
        _packages = BenchmarkMaterial.RealPackages(500);
        Console.WriteLine($"// {_packages.Count} packages, {_matcher.Match(_packages).Count} findings");
    }

    [Benchmark]
    public int Match500Packages() => _matcher.Match(_packages).Count;
}

/// <summary>Where the feed corpus and the test images' inventories are.</summary>
internal static class BenchmarkMaterial
{
    public static string Feeds => Path.Combine(Shared, "feeds");

    private static string Shared =>
        Environment.GetEnvironmentVariable("SCM_SHARED_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot, "..", "shared");

    private static string TestImages =>
        Environment.GetEnvironmentVariable("SCM_TEST_IMAGES") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot, ".local", "test-images");

    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SupplyChainMesh.sln"))) return dir.FullName;
            }
            // BenchmarkDotNet runs a copy of the project under bin/; fall back to the working directory.
            return Directory.GetCurrentDirectory();
        }
    }

    /// <summary>The layers of a built test image from its OCI layout (<c>oci/</c>), by tag.</summary>
    public static SupplyChainMesh.Analysis.Layers.LayerSource[] OciLayers(string tag)
    {
        var layout = Path.Combine(TestImages, "oci");
        string Blob(string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var n) && n.GetString() == tag)
            .GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(manifestDigest)));
        return [.. manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l =>
        {
            var digest = l.GetProperty("digest").GetString()!;
            return new SupplyChainMesh.Analysis.Layers.LayerSource(digest, l.GetProperty("mediaType").GetString()!, l.GetProperty("size").GetInt64(),
                _ => ValueTask.FromResult<Stream>(File.OpenRead(Blob(digest))));
        })];
    }

    /// <summary>Packages from Trivy's CycloneDX inventories of the built test images (<c>peer-sbom/*.cdx.json</c>),
    /// repeated across images as a registry holds them, up to <paramref name="count"/>.</summary>
    public static List<Package> RealPackages(int count)
    {
        var dir = Path.Combine(TestImages, "peer-sbom");
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"No test-image inventories at '{dir}': set SCM_TEST_IMAGES.");
        var packages = new List<Package>();
        foreach (var file in Directory.GetFiles(dir, "*.cdx.json").Where(f => !f.Contains(".oci.", StringComparison.Ordinal) && !f.Contains(".rootfs.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var component in doc.RootElement.GetProperty("components").EnumerateArray())
            {
                if (!component.TryGetProperty("purl", out var purlElement)) continue;
                var purl = PackageUrl.Parse(purlElement.GetString()!);
                var properties = component.TryGetProperty("properties", out var props)
                    ? props.EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString()!)
                    : [];
                string? sourceVersion = null;
                if (properties.TryGetValue("aquasecurity:trivy:SrcVersion", out var sv))
                {
                    sourceVersion = sv;
                    if (properties.TryGetValue("aquasecurity:trivy:SrcRelease", out var release)) sourceVersion += "-" + release;
                    if (properties.TryGetValue("aquasecurity:trivy:SrcEpoch", out var epoch)) sourceVersion = epoch + ":" + sourceVersion;
                }
                packages.Add(new Package
                {
                    Type = purl.Type,
                    Namespace = purl.Namespace,
                    Name = purl.Name,
                    Version = purl.Version ?? "",
                    SourceName = properties.GetValueOrDefault("aquasecurity:trivy:SrcName"),
                    SourceVersion = sourceVersion,
                    Arch = purl.Qualifiers?.GetValueOrDefault("arch"),
                    Distro = purl.Qualifiers?.GetValueOrDefault("distro"),
                    Path = "",
                    Detector = "cyclonedx",
                });
            }
        }
        if (packages.Count == 0) throw new InvalidOperationException($"No packages in '{dir}'.");
        return [.. Enumerable.Range(0, (count / packages.Count) + 1).SelectMany(_ => packages).Take(count)];
    }
}
