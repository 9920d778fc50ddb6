using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Sources;
using SupplyChainMesh.Oci.Tests.Infrastructure;

namespace SupplyChainMesh.Oci.Tests.Sources;

/// <summary>OCI layout folders and docker-archive tars built by build-images.sh.</summary>
public class LocalImageSourceTests
{
    private static readonly string[] RepoTags = ["t/x:1"];

    [Theory]
    [InlineData("bookworm-minbase")]
    [InlineData("app-mixed")]
    public async Task Oci_layout_gives_the_named_manifest_config_and_verified_layers(string tag)
    {
        await using var source = await ImageSources.OpenAsync(ImageReference.Parse($"oci:{TestImages.OciLayout}:{tag}"));
        Assert.IsType<OciLayoutImageSource>(source);
        var images = await source.ResolveImagesAsync();
        var image = Assert.Single(images);
        Assert.Equal(TestImages.ManifestDigest(tag), image.Manifest.Digest);
        using var config = JsonDocument.Parse(image.Config);
        Assert.Equal(image.Layers.Count, config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").GetArrayLength());
        foreach (var layer in image.Layers)
        {
            await using var stream = await source.OpenBlobAsync(layer);
            var hash = await SHA256.HashDataAsync(stream);
            Assert.Equal(layer.Digest, "sha256:" + Convert.ToHexStringLower(hash));
        }
    }

    [Fact]
    public async Task Oci_layout_without_a_tag_and_several_images_names_them_in_the_error()
    {
        await using var source = await ImageSources.OpenAsync(ImageReference.Parse($"oci:{TestImages.OciLayout}"));
        var ex = await Assert.ThrowsAsync<ImageSourceException>(() => source.GetManifestAsync());
        Assert.Contains("bookworm-minbase", ex.Message, StringComparison.Ordinal);
        await using var missing = await ImageSources.OpenAsync(ImageReference.Parse($"oci:{TestImages.OciLayout}:no-such"));
        await Assert.ThrowsAsync<ImageSourceException>(() => missing.GetManifestAsync());
        await Assert.ThrowsAsync<ImageSourceException>(() => ImageSources.OpenAsync(ImageReference.Parse("oci:/nonexistent/layout")));
    }

    [Theory]
    [InlineData("bookworm-minbase")]
    [InlineData("app-mixed")]
    public async Task Docker_archive_layers_are_the_diff_ids_of_the_config_and_verify(string tag)
    {
        await using var source = await ImageSources.OpenAsync(ImageReference.Parse($"docker-archive:{TestImages.Tar(tag)}"));
        var archive = Assert.IsType<DockerArchiveImageSource>(source);
        Assert.Contains(archive.RepoTags, t => t.EndsWith($"/{tag}:latest", StringComparison.Ordinal));
        var image = Assert.Single(await source.ResolveImagesAsync());
        Assert.Equal(MediaTypes.DockerManifest, image.Manifest.MediaType);
        using var config = JsonDocument.Parse(image.Config);
        var diffIds = config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(diffIds, image.Layers.Select(l => l.Digest).ToList());

        // The same config as in the OCI layout: the archive holds the same image.
        var ociManifest = ManifestDocument.Parse(TestImages.Blob(TestImages.ManifestDigest(tag))).Manifest!;
        Assert.Equal(ociManifest.Config.Digest, image.ImageManifest.Config.Digest);

        foreach (var layer in image.Layers)
        {
            Assert.Equal(MediaTypes.DockerLayer, layer.MediaType);
            await using var stream = await source.OpenBlobAsync(layer);
            await using var tar = new TarReader(stream);
            var entries = 0;
            while (await tar.GetNextEntryAsync() is not null) entries++;
            Assert.True(entries > 0);
            await ((SupplyChainMesh.Oci.IO.DigestVerifyingStream)stream).DrainAsync();
        }
    }

    [Fact]
    public async Task Docker_archive_selects_by_repo_tag_and_rejects_unknown_ones()
    {
        var tar = TestImages.Tar("bookworm-minbase");
        await using (var source = await ImageSources.OpenAsync(ImageReference.Parse($"docker-archive:{tar}:scanner-fixtures/bookworm-minbase:latest")))
            Assert.Single(await source.ResolveImagesAsync());
        var ex = await Assert.ThrowsAsync<ImageSourceException>(() => ImageSources.OpenAsync(ImageReference.Parse($"docker-archive:{tar}:other/image:1")));
        Assert.Contains("bookworm-minbase", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_archive_with_a_tampered_layer_fails_the_digest_and_junk_files_are_typed_errors()
    {
        var dir = Directory.CreateTempSubdirectory("scm-oci-archive-");
        try
        {
            // A small archive in docker's layout: <hex>.tar layer, config, manifest.json; then one byte of the layer changed.
            var layer = BuildLayerTar();
            var diffId = Digests.Sha256(layer);
            var config = JsonSerializer.SerializeToUtf8Bytes(new { architecture = "amd64", os = "linux", rootfs = new { type = "layers", diff_ids = new[] { diffId } } });
            var configName = Digests.Sha256(config)[7..] + ".json";
            layer[layer.Length / 3] ^= 0xFF;
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new[] { new { Config = configName, RepoTags = RepoTags, Layers = new[] { diffId[7..] + ".tar" } } });
            var path = Path.Combine(dir.FullName, "a.tar");
            await using (var file = File.Create(path))
            await using (var writer = new TarWriter(file))
            {
                foreach (var (name, data) in new[] { (diffId[7..] + ".tar", layer), (configName, config), ("manifest.json", manifest) })
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
            }
            await using var source = await ImageSources.OpenAsync(ImageReference.Parse($"docker-archive:{path}"));
            var image = Assert.Single(await source.ResolveImagesAsync());
            await using var stream = (SupplyChainMesh.Oci.IO.DigestVerifyingStream)await source.OpenBlobAsync(image.Layers[0]);
            await Assert.ThrowsAsync<DigestMismatchException>(() => stream.DrainAsync());

            var junk = Path.Combine(dir.FullName, "junk.tar");
            await File.WriteAllBytesAsync(junk, RandomNumberGenerator.GetBytes(3000));
            await Assert.ThrowsAsync<ImageSourceException>(() => ImageSources.OpenAsync(ImageReference.Parse($"docker-archive:{junk}")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static byte[] BuildLayerTar()
    {
        using var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/os-release")
            {
                DataStream = new MemoryStream("ID=debian\nVERSION_ID=\"12\"\n"u8.ToArray()),
            });
        }
        return ms.ToArray();
    }
}
