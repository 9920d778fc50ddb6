using SupplyChainMesh.Contracts;
using SupplyChainMesh.Mesh.Tests.Scanner;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Mesh.Tests.Scanner.ScanHosts;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary>
/// The scan saga and the layer workers on the real broker, database and registry, with the real bookworm-apps image
/// (two layers). Each test has a broker virtual host and a database of its own (<see cref="ScanHosts"/>).
/// </summary>
[Collection(Pipeline.PipelineHosts.LayerScanner)]
public sealed class ScanSagaTests
{
    [Fact]
    public async Task A_pushed_image_is_scanned_layer_by_layer_and_a_new_tag_reuses_the_finished_scan()
    {
        var image = await PushAsync("bookworm-apps", "scan");
        var (bus, database) = await IsolatedAsync("scan");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database);

        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
        Assert.Equal(2, scanned.Layers.Count);

        var state = await StateAsync(host, image.ScanId);
        Assert.Equal("Complete", state.CurrentState);
        Assert.Equal(state.Layers, state.LayersDone.OrderBy(state.Layers.IndexOf));
        var findings = (await FindingsAsync(host)).Where(f => state.Layers.Contains(f.Digest)).ToList();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.True(f.Succeeded && f.PackageCount > 0 && f.Json is not null, f.FailureReason));
        // bookworm-apps: the debootstrap base (88 dpkg packages) plus the apt layer.
        Assert.Contains("\"libc6\"", findings.Single(f => f.Digest == state.Layers[0]).Json, StringComparison.Ordinal);

        // The same digest pushed under another tag: served by the finished scan, nothing analysed again.
        await probe.Bus.Publish(Pushed(image with { Tag = "v2" }));
        var retagged = await probe.NextAsync(m => m.Image.Digest == image.Digest && m.Image.Tag == "v2", Wait);
        Assert.True(retagged.Succeeded);
        var after = await StateAsync(host, image.ScanId);
        Assert.Equal(["latest", "v2"], after.Tags);
        Assert.Equal(state.Version + 1, after.Version);
    }

    [Fact]
    public async Task A_scan_interrupted_by_a_restart_resumes_from_the_database()
    {
        var image = await PushAsync("bookworm-apps", "scan");
        var (bus, database) = await IsolatedAsync("resume");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);

        // A saga-only host: the layers are sent but nobody analyses them yet.
        await using (var first = await StartAsync(bus, database, consumeLayers: false))
        {
            await probe.Bus.Publish(Pushed(image));
            await WaitForStateAsync(first, image.ScanId, "Scanning");
            Assert.Equal(2, (await StateAsync(first, image.ScanId)).Layers.Count);
        }

        // A new host with workers picks the queued layers up and the saga finishes from its stored state.
        await using var second = await StartAsync(bus, database);
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
        Assert.Equal("Complete", (await StateAsync(second, image.ScanId)).CurrentState);
    }

    [Fact]
    public async Task A_manifest_deleted_before_the_scan_fails_the_scan_with_the_reason()
    {
        var (bus, database) = await IsolatedAsync("gone");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database);
        var image = new ImageIdentity(BackingServices.Registry, "gone/dev/app", "latest", IngestWebhookTests.RandomDigest());

        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.False(scanned.Succeeded);
        Assert.Contains("gone from the registry", scanned.FailureReason, StringComparison.Ordinal);
        Assert.Equal("Failed", (await StateAsync(host, image.ScanId)).CurrentState);
    }
}
