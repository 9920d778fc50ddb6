using SupplyChainMesh.Oci.References;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Sources;
using SupplyChainMesh.Oci.Tests.Infrastructure;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Oci.Tests.Registry;

/// <summary>A registry whose stored blobs were changed on disk: the client must notice at the end of the stream.</summary>
public class TamperedBlobTests
{
    [Fact]
    public async Task A_tampered_layer_and_config_end_in_DigestMismatchException()
    {
        await using var registry = await DistributionRegistry.StartAsync(TestPorts.Take());
        await Tools.SkopeoPushAsync("bookworm-minbase", registry.Host, "dev/app:latest");
        using var client = new RegistryClient(registry.Host);
        var manifest = (await client.GetManifestAsync("dev/app", "latest")).Manifest!;
        var layer = manifest.Layers[0];

        // Same size, one byte flipped in the middle: only the hash can tell.
        await FlipByteAsync(registry.BlobDataPath(layer.Digest), layer.Size / 2);
        await FlipByteAsync(registry.BlobDataPath(manifest.Config.Digest), manifest.Config.Size / 2);

        await using var stream = await client.OpenBlobAsync("dev/app", layer);
        var ex = await Assert.ThrowsAsync<DigestMismatchException>(() => stream.DrainAsync());
        Assert.Equal(layer.Digest, ex.Expected);
        Assert.NotEqual(layer.Digest, ex.Actual);
        Assert.Equal(layer.Size, stream.BytesRead);

        await using var source = new RegistryImageSource(ImageReference.Parse($"docker://{registry.Host}/dev/app:latest"), client);
        await Assert.ThrowsAsync<DigestMismatchException>(() => source.ResolveImagesAsync());
    }

    private static async Task FlipByteAsync(string path, long offset)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0xFF));
    }
}
