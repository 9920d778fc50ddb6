using System.Text.Json;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.FeedSync.Matching;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Mesh.Tests.Scanner.ScanHosts;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>An OCI index pushed to the real registry, made of the real test images: app-mixed as linux/amd64,
/// bookworm-apps as linux/arm64/v8 and bookworm-purged as a BuildKit attestation entry (unknown/unknown, annotated),
/// whose own top layer must never be scanned.</summary>
[Collection(PipelineHosts.LayerScanner)]
public sealed class ScanSagaIndexTests
{
    [Fact]
    public async Task An_index_is_scanned_for_every_platform_once_and_its_inventory_is_the_union_of_the_platforms()
    {
        var (index, children) = await PushIndexAsync(("app-mixed", Platform.LinuxAmd64), ("bookworm-apps", Platform.Parse("linux/arm64/v8")));
        var (bus, database) = await IsolatedAsync("index");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var layerProbe = await BusProbe<LayerScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database);

        await probe.Bus.Publish(Pushed(index) with { MediaType = MediaTypes.OciIndex });
        var scanned = await probe.NextAsync(m => m.Image.Digest == index.Digest, Wait);

        Assert.True(scanned.Succeeded, scanned.FailureReason);
        // Every layer's answer says how many distinct layers the scan waits for: the m of "n of m".
        await layerProbe.CountAsync(_ => false, TimeSpan.FromSeconds(1));
        var answers = layerProbe.Received.Select(r => r.Message).Where(m => m.ScanId == index.ScanId).ToList();
        Assert.Equal(scanned.Layers.Order(StringComparer.Ordinal), answers.Select(a => a.LayerDigest).Distinct().Order(StringComparer.Ordinal));
        Assert.All(answers, a => Assert.Equal(scanned.Layers.Count, a.LayerCount));
        var amd64 = children[0].Manifest!.Layers.Select(l => l.Digest).ToList();
        var arm64 = children[1].Manifest!.Layers.Select(l => l.Digest).ToList();
        var attestationOnly = children[2].Manifest!.Layers.Select(l => l.Digest).Except(amd64).Except(arm64).ToList();
        Assert.NotEmpty(attestationOnly);
        var union = amd64.Concat(arm64).Distinct().ToList();
        Assert.Equal(union, scanned.Layers);
        Assert.Equal(
            [("linux/amd64", children[0].Digest, amd64), ("linux/arm64/v8", children[1].Digest, arm64)],
            scanned.Platforms.Select(p => (p.Platform, p.Digest, p.Layers.ToList())).ToList(),
            new PlatformComparer());

        // Every distinct layer analysed once, the attestation's never.
        var findings = await FindingsAsync(host);
        Assert.Equal(union.Order(StringComparer.Ordinal), findings.Select(f => f.Digest));
        Assert.All(findings, f => Assert.True(f.Succeeded, f.FailureReason));
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == index.Digest, TimeSpan.FromSeconds(3)));

        // What FeedSync builds from it: each platform stacked on its own, the packages united.
        var analyses = findings.ToDictionary(f => f.Digest, f => AnalysisJson.DeserializeLayer(f.Json!)!);
        var inventory = await IndexInventory.SquashAsync(scanned, d => Task.FromResult(analyses[d]));
        var amd64Only = ImageSquasher.Squash(amd64.Select(d => analyses[d]).ToList());
        var arm64Only = ImageSquasher.Squash(arm64.Select(d => analyses[d]).ToList());
        var keys = inventory.Packages.Select(p => (p.Package.Key, p.Package.Path)).ToHashSet();
        Assert.Superset(amd64Only.Packages.Select(p => (p.Package.Key, p.Package.Path)).ToHashSet(), keys);
        Assert.Superset(arm64Only.Packages.Select(p => (p.Package.Key, p.Package.Path)).ToHashSet(), keys);
        // Each platform brings packages the other lacks: neither alone is the image.
        Assert.True(keys.Count > amd64Only.Packages.Count && keys.Count > arm64Only.Packages.Count);
        Assert.All(inventory.Packages, p => Assert.Equal(p.LayerDigest, scanned.Layers[p.LayerIndex]));
    }

    [Fact]
    public async Task An_index_without_an_amd64_image_is_scanned_for_the_platform_it_has()
    {
        var (index, children) = await PushIndexAsync(("bookworm-apps", Platform.Parse("linux/arm64/v8")));
        var (bus, database) = await IsolatedAsync("arm64");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database);

        await probe.Bus.Publish(Pushed(index) with { MediaType = MediaTypes.OciIndex });
        var scanned = await probe.NextAsync(m => m.Image.Digest == index.Digest, Wait);

        Assert.True(scanned.Succeeded, scanned.FailureReason);
        Assert.Equal(children[0].Manifest!.Layers.Select(l => l.Digest), scanned.Layers);
        Assert.Equal(children[0].Digest, Assert.Single(scanned.Platforms).Digest);
        var state = await StateAsync(host, index.ScanId);
        Assert.Equal(("Complete", children[0].Digest), (state.CurrentState, state.PlatformDigest));
    }

    /// <summary>Pushes the test images under one repository and an OCI index over them, the last test image
    /// (bookworm-purged) as an attestation entry. Returns the index and the children in index order.</summary>
    private static async Task<(ImageIdentity Index, List<ManifestDocument> Children)> PushIndexAsync(params (string Image, Platform Platform)[] platforms)
    {
        var registry = BackingServices.Registry;
        var repository = PipelineHosts.UniqueRepository("dev/multi");
        using var client = new RegistryClient(registry);
        var children = new List<ManifestDocument>();
        var entries = new List<BlobDescriptor>();
        foreach (var (image, platform) in platforms)
        {
            await Skopeo.PushAsync(image, registry, $"{repository}:{image}");
            var child = await client.GetManifestAsync(repository, image);
            children.Add(child);
            entries.Add(child.ToDescriptor() with { Platform = platform });
        }
        await Skopeo.PushAsync("bookworm-purged", registry, $"{repository}:attestation");
        var attestation = await client.GetManifestAsync(repository, "attestation");
        children.Add(attestation);
        entries.Add(attestation.ToDescriptor() with
        {
            Platform = Platform.Parse("unknown/unknown"),
            Annotations = new Dictionary<string, string>
            {
                [PlatformSelector.ReferenceTypeAnnotation] = "attestation-manifest",
                ["vnd.docker.reference.digest"] = children[0].Digest,
            },
        });
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries }, IndexJson);
        await client.PutManifestAsync(repository, "latest", bytes, MediaTypes.OciIndex);
        return (new ImageIdentity(registry, repository, "latest", ManifestDocument.Parse(bytes).Digest), children);
    }

    private static readonly JsonSerializerOptions IndexJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private sealed class PlatformComparer : IEqualityComparer<(string, string, List<string>)>
    {
        public bool Equals((string, string, List<string>) x, (string, string, List<string>) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.SequenceEqual(y.Item3);

        public int GetHashCode((string, string, List<string>) obj) => HashCode.Combine(obj.Item1, obj.Item2);
    }
}
