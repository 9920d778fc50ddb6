using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Mesh.Tests.Scanner;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary>
/// The scan saga and the layer workers on the real broker, database and registry, with the real bookworm-apps image
/// (two layers). One class: LayerScanner hosts share the saga and scan-layer queues, so they must not run side by side.
/// </summary>
[Collection(Pipeline.PipelineHosts.LayerScanner)]
public sealed class ScanSagaTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private static async Task<(ImageIdentity Image, string Repository)> PushAppsAsync()
    {
        var registry = BackingServices.Registry;
        var repository = $"scan-{Guid.NewGuid():N}"[..17] + "/dev/app";
        await Skopeo.PushAsync("bookworm-apps", registry, repository + ":latest");
        var digest = await Skopeo.DigestAsync(registry, repository + ":latest");
        return (new ImageIdentity(registry, repository, "latest", digest), repository);
    }

    internal static MeshHost<ImageScanState> Scanner(string database, bool consumeLayers = true, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = BackingServices.RabbitMqUriAsync().GetAwaiter().GetResult(),
            ["ConnectionStrings:Postgres"] = database,
            ["Scanner:ConsumeLayers"] = consumeLayers ? "true" : "false",
            ["Registry:Url"] = $"http://{BackingServices.Registry}", // on the outbound allow-list (SSRF guard)
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return new(settings);
    }

    internal static ImagePushed Pushed(ImageIdentity image) => new()
    {
        Image = image,
        MediaType = "application/vnd.oci.image.manifest.v1+json",
        PushedAt = DateTimeOffset.UtcNow,
        Source = "api",
        EventId = Guid.NewGuid().ToString(),
    };

    internal static async Task<ImageScanState> StateAsync(MeshHost<ImageScanState> host, Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        return await db.Scans.AsNoTracking().SingleAsync(s => s.CorrelationId == id);
    }

    internal static async Task WaitForStateAsync(MeshHost<ImageScanState> host, Guid id, string state)
    {
        var deadline = DateTime.UtcNow + Wait;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            await using (var scope = host.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
                last = await db.Scans.AsNoTracking().Where(s => s.CorrelationId == id).Select(s => s.CurrentState).SingleOrDefaultAsync();
            }
            if (last == state) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"Scan {id} stayed in state {last ?? "(none)"}, wanted {state}.");
    }

    [Fact]
    public async Task A_pushed_image_is_scanned_layer_by_layer_and_a_new_tag_reuses_the_finished_scan()
    {
        var (image, _) = await PushAppsAsync();
        await using var probe = await BusProbe<ImageScanned>.StartAsync();
        await using var host = Scanner(await BackingServices.FreshDatabaseAsync("scan"));
        await Pipeline.PipelineHosts.ReadyAsync(host); // migrations, bus

        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
        Assert.Equal(2, scanned.Layers.Count);

        var state = await StateAsync(host, image.ScanId);
        Assert.Equal("Complete", state.CurrentState);
        Assert.Equal(state.Layers, state.LayersDone.OrderBy(state.Layers.IndexOf));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
            var findings = await db.LayerFindings.AsNoTracking().Where(f => state.Layers.Contains(f.Digest)).ToListAsync();
            Assert.Equal(2, findings.Count);
            Assert.All(findings, f => Assert.True(f.Succeeded && f.PackageCount > 0 && f.Json is not null, f.FailureReason));
            // bookworm-apps: the debootstrap base (88 dpkg packages) plus the apt layer.
            Assert.Contains("\"libc6\"", findings.Single(f => f.Digest == state.Layers[0]).Json, StringComparison.Ordinal);
        }

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
        var (image, _) = await PushAppsAsync();
        var database = await BackingServices.FreshDatabaseAsync("resume");
        await using var probe = await BusProbe<ImageScanned>.StartAsync();

        // A saga-only host: the layers are sent but nobody analyses them yet.
        await using (var first = Scanner(database, consumeLayers: false))
        {
            await probe.Bus.Publish(Pushed(image));
            await WaitForStateAsync(first, image.ScanId, "Scanning");
            Assert.Equal(2, (await StateAsync(first, image.ScanId)).Layers.Count);
        }

        // A new host with workers picks the queued layers up and the saga finishes from its stored state.
        await using var second = Scanner(database);
        await Pipeline.PipelineHosts.ReadyAsync(second);
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
        Assert.Equal("Complete", (await StateAsync(second, image.ScanId)).CurrentState);
    }

    [Fact]
    public async Task A_manifest_deleted_before_the_scan_fails_the_scan_with_the_reason()
    {
        await using var probe = await BusProbe<ImageScanned>.StartAsync();
        await using var host = Scanner(await BackingServices.FreshDatabaseAsync("gone"));
        await Pipeline.PipelineHosts.ReadyAsync(host);
        var image = new ImageIdentity(BackingServices.Registry, "gone/dev/app", "latest", IngestWebhookTests.RandomDigest());

        await probe.Bus.Publish(Pushed(image));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.False(scanned.Succeeded);
        Assert.Contains("gone from the registry", scanned.FailureReason, StringComparison.Ordinal);
        Assert.Equal("Failed", (await StateAsync(host, image.ScanId)).CurrentState);
    }
}
