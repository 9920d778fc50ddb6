using System.Text.Json;
using SupplyChainMesh.Oci.Copying;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Tests.Infrastructure;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Oci.Tests.Copying;

[Collection(RegistryCollection.Name)]
public class ImageCopierTests(RegistryFixture registry)
{
    [Fact]
    public async Task Copy_within_a_registry_mounts_every_blob_and_keeps_the_digest_then_skips_on_repeat()
    {
        using var client = registry.CreateClient();
        var target = registry.Repo("qa/app");
        var copier = new ImageCopier(client, client);

        var report = await copier.CopyAsync(registry.DevApp, "latest", target, "latest");

        var source = await client.GetManifestAsync(registry.DevApp, "latest");
        Assert.Equal(source.Digest, report.Digest);
        Assert.Equal(source.Digest, (await client.HeadManifestAsync(target, "latest"))!.Digest);
        Assert.Equal(source.Manifest!.Layers.Count + 1, report.Blobs.Count);
        Assert.All(report.Blobs, b => Assert.Equal(BlobCopyAction.Mounted, b.Action));

        var again = await copier.CopyAsync(registry.DevApp, "latest", target, "latest");
        Assert.All(again.Blobs, b => Assert.Equal(BlobCopyAction.Skipped, b.Action));
        Assert.Equal(source.Digest, again.Digest);
    }

    [Fact]
    public async Task Copy_across_registries_streams_every_blob_and_keeps_the_digest()
    {
        await using var second = await DistributionRegistry.StartAsync(TestPorts.Take());
        using var source = registry.CreateClient();
        using var target = new RegistryClient(second.Host);
        var report = await new ImageCopier(source, target).CopyAsync(registry.DevApps, "latest", "qa/apps", "v1");

        var original = await source.GetManifestAsync(registry.DevApps, "latest");
        Assert.Equal(original.Digest, report.Digest);
        Assert.All(report.Blobs, b => Assert.Equal(BlobCopyAction.Copied, b.Action));
        var copied = await target.GetManifestAsync("qa/apps", "v1");
        Assert.Equal(original.Digest, copied.Digest);
        foreach (var layer in copied.Manifest!.Layers)
        {
            await using var stream = await target.OpenBlobAsync("qa/apps", layer);
            await stream.DrainAsync();
            Assert.True(stream.Verified);
        }
    }

    [Fact]
    public async Task Copy_of_an_index_copies_all_children_and_keeps_the_index_digest()
    {
        using var client = registry.CreateClient();
        var multi = registry.Repo("dev/multi");
        var index = await PushIndexAsync(registry, client, multi);

        await using var second = await DistributionRegistry.StartAsync(TestPorts.Take());
        using var other = new RegistryClient(second.Host);
        foreach (var (target, copier, repo) in new[] { (client, new ImageCopier(client, client), registry.Repo("qa/multi")), (other, new ImageCopier(client, other), "qa/multi") })
        {
            var report = await copier.CopyAsync(multi, "latest", repo, "latest");
            Assert.Equal(index.Digest, report.Digest);
            Assert.Equal(MediaTypes.OciIndex, report.MediaType);
            Assert.Equal(3, report.Manifests.Count);
            var copied = await target.GetManifestAsync(repo, "latest");
            Assert.Equal(index.Digest, copied.Digest);
            foreach (var child in copied.Index!.Manifests)
                Assert.Equal(child.Digest, (await target.HeadManifestAsync(repo, child.Digest))!.Digest);
            // The shared base layer appears once.
            Assert.Equal(report.Blobs.Count, report.Blobs.Select(b => b.Digest).Distinct().Count());
        }
    }

    [Fact]
    public async Task Move_removes_the_source_tag_and_keeps_it_when_another_tag_shares_the_digest()
    {
        using var client = registry.CreateClient();
        var copier = new ImageCopier(client, client);
        var from = registry.Repo("dev/move");
        await copier.CopyAsync(registry.DevApp, "latest", from, "latest");

        var moved = await copier.MoveAsync(from, "latest", registry.Repo("qa/move"), "latest");
        Assert.True(moved.SourceTagRemoved, moved.How);
        Assert.Null(await client.HeadManifestAsync(from, "latest"));
        Assert.Equal(moved.Copy.Digest, (await client.HeadManifestAsync(registry.Repo("qa/move"), "latest"))!.Digest);

        var shared = registry.Repo("dev/move-shared");
        await copier.CopyAsync(registry.DevApp, "latest", shared, "latest");
        await copier.CopyAsync(registry.DevApp, "latest", shared, "stable");
        var kept = await copier.MoveAsync(shared, "latest", registry.Repo("qa/move-shared"), "latest");
        Assert.False(kept.SourceTagRemoved);
        Assert.Contains("stable", kept.How, StringComparison.Ordinal);
        Assert.NotNull(await client.HeadManifestAsync(shared, "stable"));
    }

    /// <summary>An OCI index over the two pushed images (minbase as amd64, apps as arm64/v8), pushed by tag.</summary>
    [Fact]
    public async Task A_refused_mount_falls_back_to_a_streamed_copy_through_the_session_the_registry_opened()
    {
        // The real registry refuses a mount whose 'from' repository lacks the blob: it answers 202 and opens an
        // ordinary upload. The handler points every mount at such a repository, so each blob takes that path.
        using var refusing = new MountRefusingHandler(registry.Repo("nowhere")) { InnerHandler = RegistryClient.CreateDefaultHandler() };
        using var client = new RegistryClient(registry.Registry, new RegistryClientOptions { PlainHttp = true }, refusing);
        var target = registry.Repo("qa/refused");
        var source = await client.GetManifestAsync(registry.DevApp, "latest");

        var report = await new ImageCopier(client, client).CopyAsync(registry.DevApp, "latest", target, "latest");

        Assert.Equal(source.Digest, report.Digest);
        Assert.Equal(source.Manifest!.Layers.Count + 1, report.Blobs.Count);
        Assert.All(report.Blobs, b => Assert.Equal(BlobCopyAction.Copied, b.Action));
        Assert.Equal(report.Blobs.Count, refusing.Refused);
        Assert.Equal(source.Digest, (await client.HeadManifestAsync(target, "latest"))!.Digest);
        foreach (var blob in report.Blobs)
            Assert.Equal(blob.Size, await client.GetBlobSizeAsync(target, blob.Digest));
    }

    /// <summary>Rewrites the <c>from</c> of every mount request to a repository that does not hold the blob.</summary>
    private sealed class MountRefusingHandler(string emptyRepository) : DelegatingHandler
    {
        private int _refused;

        public int Refused => _refused;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (request.Method == HttpMethod.Post && uri.Query.Contains("mount=", StringComparison.Ordinal))
            {
                var query = string.Join('&', uri.Query.TrimStart('?').Split('&')
                    .Select(p => p.StartsWith("from=", StringComparison.Ordinal) ? "from=" + Uri.EscapeDataString(emptyRepository) : p));
                request.RequestUri = new UriBuilder(uri) { Query = query }.Uri;
                var response = await base.SendAsync(request, cancellationToken);
                if (response.StatusCode == System.Net.HttpStatusCode.Accepted) Interlocked.Increment(ref _refused);
                return response;
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }

    internal static async Task<ManifestDocument> PushIndexAsync(RegistryFixture registry, RegistryClient client, string repo)
    {
        var minbase = await client.GetManifestAsync(registry.DevApp, "latest");
        var apps = await client.GetManifestAsync(registry.DevApps, "latest");
        var copier = new ImageCopier(client, client);
        await copier.CopyAsync(registry.DevApp, minbase.Digest, repo, "amd64");
        await copier.CopyAsync(registry.DevApps, apps.Digest, repo, "arm64");
        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                minbase.ToDescriptor() with { Platform = Platform.LinuxAmd64 },
                apps.ToDescriptor() with { Platform = Platform.Parse("linux/arm64/v8") },
            ],
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex);
        await client.PutManifestAsync(repo, "latest", bytes, MediaTypes.OciIndex);
        return ManifestDocument.Parse(bytes);
    }
}
