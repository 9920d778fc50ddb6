using SupplyChainMesh.Contracts;
using static SupplyChainMesh.Mesh.Tests.Scanner.ScanHosts;

namespace SupplyChainMesh.Mesh.Tests.Scanner;

/// <summary>
/// "Scanning an image whose layers are all cached does no download": a second image (another manifest, another
/// repository) made only of layers whose findings are stored is assessed by a LayerScanner that consumes no layers at
/// all. If the saga sent a single ScanLayer (a download), nobody would take it and the scan could not complete.
/// </summary>
[Collection(Pipeline.PipelineHosts.LayerScanner)]
public sealed class CachedLayersScanTests
{
    [Fact]
    public async Task An_image_whose_layers_are_all_stored_completes_without_any_layer_worker()
    {
        // bookworm-apps: the debootstrap base layer plus the apt layer; bookworm-minbase is that base layer alone.
        var apps = await PushAsync("bookworm-apps", "scanner");
        var minbase = await PushAsync("bookworm-minbase", "scanner");
        Assert.NotEqual(apps.Digest, minbase.Digest);
        var (bus, database) = await IsolatedAsync("cached");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);

        List<DateTimeOffset> storedBefore;
        await using (var scanning = await StartAsync(bus, database, consumeLayers: true))
        {
            await probe.Bus.Publish(Pushed(apps));
            var first = await probe.NextAsync(m => m.Image.Digest == apps.Digest, Wait);
            Assert.True(first.Succeeded, first.FailureReason);
            storedBefore = [.. (await FindingsAsync(scanning)).Select(f => f.AnalyzedAt)];
            Assert.Equal(2, storedBefore.Count);
        }

        await using var assessing = await StartAsync(bus, database, consumeLayers: false);
        await probe.Bus.Publish(Pushed(minbase));
        var second = await probe.NextAsync(m => m.Image.Digest == minbase.Digest, Wait);

        Assert.True(second.Succeeded, second.FailureReason);
        Assert.Single(second.Layers);
        var state = await StateAsync(assessing, minbase.ScanId);
        Assert.Equal("Complete", state.CurrentState);
        Assert.Equal(state.Layers, state.LayersDone);
        // Nothing was analysed again: the stored findings are the ones the first scan wrote.
        Assert.Equal(storedBefore, (await FindingsAsync(assessing)).Select(f => f.AnalyzedAt));
    }
}
