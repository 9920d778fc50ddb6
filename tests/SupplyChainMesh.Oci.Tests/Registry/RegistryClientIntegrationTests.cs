using System.Security.Cryptography;
using System.Text.Json;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Tests.Infrastructure;

namespace SupplyChainMesh.Oci.Tests.Registry;

[Collection(RegistryCollection.Name)]
public class RegistryClientIntegrationTests(RegistryFixture registry)
{
    [Fact]
    public async Task Ping_answers_without_a_challenge_on_an_anonymous_registry()
    {
        using var client = registry.CreateClient();
        Assert.Null(await client.PingAsync());
    }

    [Fact]
    public async Task Fetches_manifest_by_tag_and_digest_with_the_digest_skopeo_pushed()
    {
        using var client = registry.CreateClient();
        var expected = TestImages.ManifestDigest("bookworm-minbase");

        var byTag = await client.GetManifestAsync(registry.DevApp, "latest");
        Assert.Equal(expected, byTag.Digest);
        Assert.Equal(MediaTypes.OciManifest, byTag.MediaType);
        Assert.False(byTag.IsIndex);
        Assert.Single(byTag.Manifest!.Layers);

        var byDigest = await client.GetManifestAsync(registry.DevApp, expected);
        Assert.Equal(byTag.Bytes.ToArray(), byDigest.Bytes.ToArray());

        var head = await client.HeadManifestAsync(registry.DevApp, "latest");
        Assert.NotNull(head);
        Assert.Equal(expected, head.Digest);
        Assert.Equal(byTag.Bytes.Length, head.Size);
        Assert.Null(await client.HeadManifestAsync(registry.DevApp, "no-such-tag"));
    }

    [Fact]
    public async Task Unknown_manifest_is_a_typed_not_found_with_the_registry_code()
    {
        using var client = registry.CreateClient();
        var ex = await Assert.ThrowsAsync<RegistryNotFoundException>(() => client.GetManifestAsync(registry.DevApp, "no-such-tag"));
        Assert.True(ex.HasCode(RegistryErrorCodes.ManifestUnknown), ex.Message);
        var blob = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            client.OpenBlobAsync(registry.DevApp, "sha256:" + new string('0', 64), 10));
        Assert.True(blob.HasCode(RegistryErrorCodes.BlobUnknown), blob.Message);
    }

    [Fact]
    public async Task Streams_config_and_layer_with_their_digests_verified()
    {
        using var client = registry.CreateClient();
        var manifest = (await client.GetManifestAsync(registry.DevApp, "latest")).Manifest!;

        await using (var config = await client.OpenBlobAsync(registry.DevApp, manifest.Config))
        {
            using var doc = await JsonDocument.ParseAsync(config);
            Assert.Equal(manifest.Layers.Count, doc.RootElement.GetProperty("rootfs").GetProperty("diff_ids").GetArrayLength());
            await config.DrainAsync();
            Assert.True(config.Verified);
        }

        var layer = manifest.Layers[0];
        await using var stream = await client.OpenBlobAsync(registry.DevApp, layer);
        using var sha = SHA256.Create();
        var hash = await sha.ComputeHashAsync(stream);
        Assert.Equal(layer.Digest, "sha256:" + Convert.ToHexStringLower(hash));
        Assert.Equal(layer.Size, stream.BytesRead);
        Assert.True(stream.Verified);
    }

    [Fact]
    public async Task Head_blob_tells_present_from_absent()
    {
        using var client = registry.CreateClient();
        var manifest = (await client.GetManifestAsync(registry.DevApp, "latest")).Manifest!;
        Assert.Equal(manifest.Layers[0].Size, await client.GetBlobSizeAsync(registry.DevApp, manifest.Layers[0].Digest));
        Assert.False(await client.BlobExistsAsync(registry.DevApp, "sha256:" + new string('a', 64)));
    }

    [Fact]
    public async Task Lists_tags_and_catalog()
    {
        using var client = registry.CreateClient();
        Assert.Contains("latest", await client.ListTagsAsync(registry.DevApp));
        var repositories = await client.ListRepositoriesAsync();
        Assert.Contains(registry.DevApp, repositories);
        Assert.Contains(registry.DevApps, repositories);
    }

    [Fact]
    public async Task Mount_answers_201_for_a_known_blob_and_202_with_a_usable_session_for_an_unknown_one()
    {
        using var client = registry.CreateClient();
        var target = registry.Repo("qa/mount");
        var layer = (await client.GetManifestAsync(registry.DevApp, "latest")).Manifest!.Layers[0];

        var mounted = await client.MountBlobAsync(target, layer.Digest, registry.DevApp);
        Assert.True(mounted.Mounted);
        Assert.Null(mounted.Upload);
        Assert.True(await client.BlobExistsAsync(target, layer.Digest));

        var content = RandomNumberGenerator.GetBytes(4096);
        var digest = Digests.Sha256(content);
        var fallback = await client.MountBlobAsync(target, digest, registry.DevApp);
        Assert.False(fallback.Mounted);
        Assert.NotNull(fallback.Upload);
        Assert.False(await client.BlobExistsAsync(target, digest));
        await client.UploadAsync(fallback.Upload, digest, new MemoryStream(content), content.Length);
        Assert.Equal(content.Length, await client.GetBlobSizeAsync(target, digest));
    }

    [Fact]
    public async Task Chunked_upload_of_a_stream_of_unknown_length_round_trips()
    {
        using var client = registry.CreateClient(new RegistryClientOptions { PlainHttp = true, ChunkSize = 64 * 1024 });
        var repo = registry.Repo("dev/chunked");
        var content = RandomNumberGenerator.GetBytes(64 * 1024 * 3 + 123); // three full chunks and a tail
        var digest = Digests.Sha256(content);
        await client.PushBlobAsync(repo, digest, new MemoryStream(content), size: null);
        await using var back = await client.OpenBlobAsync(repo, digest, content.Length);
        var copy = new MemoryStream();
        await back.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
        Assert.True(back.Verified);
    }

    [Fact]
    public async Task Upload_with_a_wrong_digest_is_refused_with_DIGEST_INVALID()
    {
        using var client = registry.CreateClient();
        var content = RandomNumberGenerator.GetBytes(100);
        var wrong = Digests.Sha256(RandomNumberGenerator.GetBytes(100));
        var ex = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PushBlobAsync(registry.Repo("dev/bad"), wrong, new MemoryStream(content), content.Length));
        Assert.True(ex.HasCode(RegistryErrorCodes.DigestInvalid), ex.Message);
    }

    [Fact]
    public async Task Put_and_delete_manifest()
    {
        using var client = registry.CreateClient();
        var repo = registry.Repo("dev/putdelete");
        var source = await client.GetManifestAsync(registry.DevApp, "latest");
        foreach (var blob in source.Manifest!.Layers.Append(source.Manifest.Config))
            Assert.True((await client.MountBlobAsync(repo, blob.Digest, registry.DevApp)).Mounted);
        Assert.Equal(source.Digest, await client.PutManifestAsync(repo, "v1", source));
        Assert.Equal(source.Digest, (await client.HeadManifestAsync(repo, "v1"))!.Digest);
        await client.DeleteManifestAsync(repo, source.Digest);
        Assert.Null(await client.HeadManifestAsync(repo, "v1"));
    }
}
