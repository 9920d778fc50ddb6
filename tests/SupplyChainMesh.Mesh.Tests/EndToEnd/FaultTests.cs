using System.Text.Json.Nodes;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>
/// Faults in the middle of the pipeline, on the same real mesh: each ends in a defined state and loses nothing.
/// The broker and the database "restart" by having every connection to them cut and refused for a while (a
/// <see cref="TcpProxy"/> between the services and the server), which is what a restart looks like to a client.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FaultTests(EndToEndMesh mesh) : IAsyncLifetime
{
    private static readonly TimeSpan Within = EndToEndMesh.PipelineWithin;
    private readonly string _layout = Path.Combine(Path.GetTempPath(), $"scm-e2e-{Guid.NewGuid():N}");
    private string _lastTag = "";

    public Task InitializeAsync() => mesh.EnsureSamplePolicyAsync();

    public Task DisposeAsync()
    {
        if (Directory.Exists(_layout)) Directory.Delete(_layout, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Pushes a fresh one-layer image (no packages, so nothing vulnerable: the sample policy promotes it).</summary>
    private async Task<string> PushFreshAsync(string repository)
    {
        var tag = _lastTag = $"t{Guid.NewGuid():N}"[..9];
        await TinyImage.CreateAsync(_layout, tag, Guid.NewGuid().ToString());
        await Skopeo.PushLayoutAsync(_layout, tag, mesh.Registry.Host, $"{repository}:latest");
        return await mesh.RegistryDigestAsync(repository, "latest") ?? throw new InvalidOperationException("pushed image not found");
    }

    private async Task<JsonNode?> ScanAsync(string digest) =>
        (await mesh.GetJsonAsync<JsonArray>("LayerScanner", $"api/scans?digest={Uri.EscapeDataString(digest)}"))?.FirstOrDefault();

    private Task WaitForPromotionAsync(string repository, string digest) => mesh.WaitForPromotionAsync(repository, "latest", digest);

    private async Task WithScannersDownAsync(Func<Task> whileDown)
    {
        await mesh["LayerScanner"].KillAsync();
        await mesh["LayerScanner2"].KillAsync();
        try
        {
            await whileDown();
        }
        finally
        {
            await mesh["LayerScanner"].StartAsync(TimeSpan.FromMinutes(2));
            await mesh["LayerScanner2"].StartAsync(TimeSpan.FromMinutes(2));
        }
    }

    private Task WaitRecordedByIngestAsync(string digest) => mesh.WaitRecordedByIngestAsync(digest);

    private async Task<string> WaitForFailedScanAsync(string digest)
    {
        JsonNode? scan = null;
        await Eventually.HoldsAsync(async () => (scan = await ScanAsync(digest))?["state"]?.GetValue<string>() == "Failed", Within,
            $"the scan of {digest} fails", () => mesh.Logs("LayerScanner", "LayerScanner2"));
        return scan!["failureReason"]?.GetValue<string>() ?? "";
    }

    [Fact]
    public async Task A_manifest_deleted_before_the_scan_fails_the_scan_with_the_reason()
    {
        string digest = "";
        await WithScannersDownAsync(async () =>
        {
            digest = await PushFreshAsync("dev/gone");
            await WaitRecordedByIngestAsync(digest);
            using var delete = await mesh.Http.DeleteAsync(new Uri($"http://{mesh.Registry.Host}/v2/dev/gone/manifests/{digest}"));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, delete.StatusCode);
        });
        var reason = await WaitForFailedScanAsync(digest);
        Assert.Contains("manifest", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await mesh.RegistryDigestAsync("qa/gone", "latest"));
    }

    [Fact]
    public async Task A_layer_blob_that_404s_fails_the_scan_with_the_reason()
    {
        string digest = "";
        string layer = "";
        await WithScannersDownAsync(async () =>
        {
            digest = await PushFreshAsync("dev/holey");
            await WaitRecordedByIngestAsync(digest);
            layer = (await TinyImage.LayerDigestsAsync(_layout, _lastTag)).Single();
            using var delete = await mesh.Http.DeleteAsync(new Uri($"http://{mesh.Registry.Host}/v2/dev/holey/blobs/{layer}"));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, delete.StatusCode);
        });
        var reason = await WaitForFailedScanAsync(digest);
        Assert.Contains(layer[..19], reason, StringComparison.Ordinal);
        var layerView = await mesh.GetJsonAsync<JsonNode>("LayerScanner", $"api/scans/layers/{layer}");
        Assert.False(layerView?["succeeded"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public async Task The_broker_going_away_mid_pipeline_loses_nothing()
    {
        var digest = await PushFreshAsync("dev/brokerfault");
        mesh.Broker.Cut();
        await Task.Delay(TimeSpan.FromSeconds(5));
        mesh.Broker.Restore();
        await WaitForPromotionAsync("qa/brokerfault", digest);
        var promotions = await mesh.GetJsonAsync<JsonArray>("Promoter", $"api/promotions?digest={Uri.EscapeDataString(digest)}");
        Assert.Single(promotions!);
    }

    [Fact]
    public async Task The_database_going_away_mid_pipeline_loses_nothing()
    {
        var digest = await PushFreshAsync("dev/dbfault");
        mesh.Database.Cut();
        await Task.Delay(TimeSpan.FromSeconds(5));
        mesh.Database.Restore();
        await WaitForPromotionAsync("qa/dbfault", digest);
        var promotions = await mesh.GetJsonAsync<JsonArray>("Promoter", $"api/promotions?digest={Uri.EscapeDataString(digest)}");
        Assert.Single(promotions!);
    }
}
