using SupplyChainMesh.Contracts;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Oci.Registry;
using static SupplyChainMesh.Mesh.Tests.Scanner.ScanHosts;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>The scan saga's edges on the real broker, database and registry, with the real bookworm-minbase image:
/// a layer that never comes back, tags pushed while the scan runs, a manifest deleted before the scan. Each test has a
/// broker virtual host and a database of its own.</summary>
[Collection(PipelineHosts.LayerScanner)]
public sealed class ScanSagaLifecycleTests
{
    private static Task<ImageIdentity> PushMinbaseAsync() => PushAsync("bookworm-minbase", "pipeline");

    private static readonly Dictionary<string, string?> QuickTimeout = new()
    {
        ["Scanner:LayerTimeoutSeconds"] = "3",
        ["Scanner:TimeoutSweepSeconds"] = "0.5",
    };

    [Fact]
    public async Task A_layer_that_never_comes_back_is_re_sent_then_fails_the_scan_with_the_reason()
    {
        var image = await PushMinbaseAsync();
        var (bus, database) = await IsolatedAsync("timeout");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        // Saga only: the layer is sent, nobody analyses it.
        await using var host = await StartAsync(bus, database, consumeLayers: false,
            new Dictionary<string, string?>(QuickTimeout) { ["Scanner:LayerResends"] = "1" });

        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.False(scanned.Succeeded);
        Assert.Contains("1 of 1 layers did not come back within 3 s (re-sent 1 times)", scanned.FailureReason, StringComparison.Ordinal);
        var state = await StateAsync(host, image.ScanId);
        Assert.Equal("Failed", state.CurrentState);
        Assert.Equal(1, state.Resends);
        Assert.Contains(state.Layers.Single(), scanned.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_layer_message_is_sent_again_and_the_scan_completes()
    {
        var image = await PushMinbaseAsync();
        var (bus, database) = await IsolatedAsync("resend");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using (var sagaOnly = await StartAsync(bus, database, consumeLayers: false, QuickTimeout))
        {
            await probe.Bus.Publish(Pushed(image));
            await WaitForStateAsync(sagaOnly, image.ScanId, "Scanning");
        }
        // The ScanLayer message is lost, as when a broker drops it or an operator purges a stuck queue.
        Assert.True(await PurgeQueueAsync(bus, LayerDispatcher.ScanLayerQueue) >= 1);

        await using var workers = await StartAsync(bus, database, extra: QuickTimeout);
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
        var state = await StateAsync(workers, image.ScanId);
        Assert.Equal("Complete", state.CurrentState);
        Assert.InRange(state.Resends, 1, 2);
    }

    private static async Task<uint> PurgeQueueAsync(string rabbitMq, string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(rabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.QueuePurgeAsync(queue);
    }

    [Fact]
    public async Task Tags_pushed_while_the_scan_runs_each_get_ImageScanned()
    {
        var image = await PushMinbaseAsync();
        var (bus, database) = await IsolatedAsync("tags");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using (var sagaOnly = await StartAsync(bus, database, consumeLayers: false))
        {
            await probe.Bus.Publish(Pushed(image));
            await WaitForStateAsync(sagaOnly, image.ScanId, "Scanning");
            await probe.Bus.Publish(Pushed(image with { Tag = "v1.2" }));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await StateAsync(sagaOnly, image.ScanId)).Tags.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(200);
        }

        await using var workers = await StartAsync(bus, database);
        var first = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        var second = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(first.Succeeded && second.Succeeded, first.FailureReason ?? second.FailureReason);
        Assert.Equal("latest,v1.2", string.Join(",", new[] { first.Image.Tag, second.Image.Tag }.Order()));
    }

    [Fact]
    public async Task A_manifest_deleted_after_the_push_fails_the_scan_with_the_reason()
    {
        var image = await PushMinbaseAsync();
        using (var registry = new RegistryClient(image.Registry))
            await registry.DeleteManifestAsync(image.Repository, image.Digest);
        var (bus, database) = await IsolatedAsync("deleted");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var host = await StartAsync(bus, database);

        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.False(scanned.Succeeded);
        Assert.Contains("gone from the registry", scanned.FailureReason, StringComparison.Ordinal);
        Assert.Equal("Failed", (await StateAsync(host, image.ScanId)).CurrentState);
    }
}
