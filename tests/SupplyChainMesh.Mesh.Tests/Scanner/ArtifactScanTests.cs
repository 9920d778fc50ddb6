using SupplyChainMesh.Contracts;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Mesh.Tests.Scanner.ScanHosts;

namespace SupplyChainMesh.Mesh.Tests.Scanner;

/// <summary>
/// An OCI artifact pushed to the real registry (an OpenVEX document attached to the real app-mixed image, as
/// <c>oras attach</c> pushes it) is not scanned: the saga ends as NotAnImage without <see cref="ImageScanned"/> (so no
/// "scan failed" reaches anyone) and announces <see cref="ArtifactPushed"/> with the image it is attached to.
/// </summary>
[Collection(Pipeline.PipelineHosts.LayerScanner)]
public sealed class ArtifactScanTests
{
    [Fact]
    public async Task A_VEX_artifact_is_announced_with_its_subject_and_not_scanned()
    {
        var image = await PushAsync("app-mixed", "artifact");
        using var client = new RegistryClient(image.Registry);
        var subject = await client.HeadManifestAsync(image.Repository, image.Digest) ?? throw new InvalidOperationException("pushed image not found");
        var artifactDigest = await ReferrerArtifacts.AttachAsync(client, image.Repository, subject, "application/vnd.openvex+json",
            ReferrerArtifacts.MinimistNotAffected(image.Repository, image.Digest));
        var artifact = new ImageIdentity(image.Registry, image.Repository, null, artifactDigest);

        var (bus, database) = await IsolatedAsync("artifact");
        await using var announced = await BusProbe<ArtifactPushed>.StartAsync(bus);
        await using var scanned = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database);
        await announced.Bus.Publish(Pushed(artifact));

        var pushed = await announced.NextAsync(m => m.Artifact.Digest == artifactDigest, Wait);
        Assert.Equal("application/vnd.openvex+json", pushed.ArtifactType);
        Assert.Equal(image.Digest, pushed.SubjectDigest);
        await WaitForStateAsync(host, artifact.ScanId, "NotAnImage");
        var state = await StateAsync(host, artifact.ScanId);
        Assert.Equal("application/vnd.openvex+json", state.ArtifactType);
        Assert.Empty(state.Layers);

        // The same digest announced again (a redelivered push) changes nothing and scans nothing.
        await announced.Bus.Publish(Pushed(artifact));
        Assert.Equal(0, await scanned.CountAsync(m => m.Image.Digest == artifactDigest, TimeSpan.FromSeconds(3)));
        Assert.Equal(state.Version, (await StateAsync(host, artifact.ScanId)).Version);
        Assert.Empty(await FindingsAsync(host));
    }
}
