using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Scanner;

/// <summary>
/// "Scanning an image whose layers are all cached does no download": a second image (another manifest, another
/// repository) made only of layers whose findings are stored is assessed by a LayerScanner that consumes no layers at
/// all. If the saga sent a single ScanLayer (a download), nobody would take it and the scan could not complete.
/// </summary>
[Collection(ScanHostsCollection.Name)]
public sealed class CachedLayersScanTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private static async Task<ImageIdentity> PushAsync(string tag)
    {
        var registry = BackingServices.Registry;
        var repository = $"scanner-{Guid.NewGuid():N}"[..20] + "/" + tag;
        await Skopeo.PushAsync(tag, registry, repository + ":latest");
        return new ImageIdentity(registry, repository, "latest", await Skopeo.DigestAsync(registry, repository + ":latest"));
    }

    /// <summary>A host on the test's own virtual host: the shared one may hold other tests' layer messages, and a
    /// bus of another test's host that was disposed while starting.</summary>
    private static MeshHost<ImageScanState> Scanner(string rabbitMq, string database, bool consumeLayers) =>
        new(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = rabbitMq,
            ["ConnectionStrings:Postgres"] = database,
            ["Scanner:ConsumeLayers"] = consumeLayers ? "true" : "false",
            ["Registry:Url"] = $"http://{BackingServices.Registry}", // on the outbound allow-list (SSRF guard)
        });

    private static ImagePushed Pushed(ImageIdentity image) => new()
    {
        Image = image,
        MediaType = "application/vnd.oci.image.manifest.v1+json",
        PushedAt = DateTimeOffset.UtcNow,
        Source = "api",
        EventId = Guid.NewGuid().ToString(),
    };

    [Fact]
    public async Task An_image_whose_layers_are_all_stored_completes_without_any_layer_worker()
    {
        // bookworm-apps: the debootstrap base layer plus the apt layer; bookworm-minbase is that base layer alone.
        var apps = await PushAsync("bookworm-apps");
        var minbase = await PushAsync("bookworm-minbase");
        Assert.NotEqual(apps.Digest, minbase.Digest);
        var database = await BackingServices.FreshDatabaseAsync("cached");
        var rabbitMq = await BackingServices.FreshVirtualHostAsync("cached");
        await using var probe = await BusProbe<ImageScanned>.StartAsync(rabbitMq);

        List<DateTimeOffset> storedBefore;
        await using (var scanning = await Pipeline.PipelineHosts.ReadyAsync(Scanner(rabbitMq, database, consumeLayers: true)))
        {
            await probe.Bus.Publish(Pushed(apps));
            var first = await probe.NextAsync(m => m.Image.Digest == apps.Digest, Wait);
            Assert.True(first.Succeeded, first.FailureReason);
            storedBefore = await FindingTimesAsync(scanning);
            Assert.Equal(2, storedBefore.Count);
        }

        await using var assessing = await Pipeline.PipelineHosts.ReadyAsync(Scanner(rabbitMq, database, consumeLayers: false));
        await probe.Bus.Publish(Pushed(minbase));
        var second = await probe.NextAsync(m => m.Image.Digest == minbase.Digest, Wait);

        Assert.True(second.Succeeded, second.FailureReason);
        Assert.Single(second.Layers);
        await using var scope = assessing.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        var state = await db.Scans.AsNoTracking().SingleAsync(s => s.CorrelationId == minbase.ScanId);
        Assert.Equal("Complete", state.CurrentState);
        Assert.Equal(state.Layers, state.LayersDone);
        // Nothing was analysed again: the stored findings are the ones the first scan wrote.
        Assert.Equal(storedBefore, await FindingTimesAsync(assessing));
    }

    private static async Task<List<DateTimeOffset>> FindingTimesAsync(MeshHost<ImageScanState> host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        return await db.LayerFindings.AsNoTracking().OrderBy(f => f.Digest).Select(f => f.AnalyzedAt).ToListAsync();
    }
}
