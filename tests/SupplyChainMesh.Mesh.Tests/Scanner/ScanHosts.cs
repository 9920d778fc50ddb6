using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Scanner;

/// <summary>
/// LayerScanner hosts in process for the scan-saga tests. Every test runs its hosts and probes on a broker virtual host
/// of its own: the shared one may still hold another test's layer messages, or the bus of a host that was disposed
/// while it was starting, and either would take this test's messages (a saga-only test then sees its layer scanned).
/// </summary>
public static class ScanHosts
{
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    /// <summary>A broker virtual host and a database of the test's own.</summary>
    public static async Task<(string RabbitMq, string Database)> IsolatedAsync(string prefix) =>
        (await BackingServices.FreshVirtualHostAsync(prefix), await BackingServices.FreshDatabaseAsync(prefix));

    /// <summary>A LayerScanner host, started and ready (migrations applied, queues bound).</summary>
    public static Task<MeshHost<ImageScanState>> StartAsync(string rabbitMq, string database, bool consumeLayers = true,
        IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = rabbitMq,
            ["ConnectionStrings:Postgres"] = database,
            ["Scanner:ConsumeLayers"] = consumeLayers ? "true" : "false",
            ["Registry:Url"] = $"http://{BackingServices.Registry}", // on the outbound allow-list (SSRF guard)
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return Pipeline.PipelineHosts.ReadyAsync(new MeshHost<ImageScanState>(settings, services));
    }

    public static async Task<ImageIdentity> PushAsync(string testImage, string repositoryPrefix, string tag = "latest")
    {
        var registry = BackingServices.Registry;
        var repository = $"{repositoryPrefix}-{Guid.NewGuid():N}"[..(repositoryPrefix.Length + 13)] + "/dev/app";
        await Skopeo.PushAsync(testImage, registry, $"{repository}:{tag}");
        return new ImageIdentity(registry, repository, tag, await Skopeo.DigestAsync(registry, $"{repository}:{tag}"));
    }

    public static ImagePushed Pushed(ImageIdentity image) => new()
    {
        Image = image,
        MediaType = "application/vnd.oci.image.manifest.v1+json",
        PushedAt = DateTimeOffset.UtcNow,
        Source = "api",
        EventId = Guid.NewGuid().ToString(),
    };

    public static async Task<ImageScanState> StateAsync(MeshHost<ImageScanState> host, Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        return await db.Scans.AsNoTracking().SingleAsync(s => s.CorrelationId == id);
    }

    public static async Task WaitForStateAsync(MeshHost<ImageScanState> host, Guid id, string state)
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

    public static async Task<List<LayerFinding>> FindingsAsync(MeshHost<ImageScanState> host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        return await db.LayerFindings.AsNoTracking().OrderBy(f => f.Digest).ToListAsync();
    }
}
