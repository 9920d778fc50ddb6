using SupplyChainMesh.Contracts;
using SupplyChainMesh.Promoter.Promotion;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>Hosts of one service share their queues on the broker, so test classes that start the same service must
/// not run side by side: each such class joins the service's collection.</summary>
public static class PipelineHosts
{
    public const string Promoter = "Promoter hosts";
    public const string Ingest = "Ingest hosts";
    public const string LayerScanner = "LayerScanner hosts";

    /// <summary>The pipeline's ports (9180-9199).</summary>
    public const int SecondRegistryPort = 9181;
    public const int WebhookPort = 9185;
    public const int DeadRegistryPort = 9189;

    public static string UniqueRepository(string path) => $"pipeline-{Guid.NewGuid():N}"[..21] + "/" + path;

    /// <param name="rabbitMq">The test's own broker virtual host (<see cref="BackingServices.FreshVirtualHostAsync"/>): a
    /// host of another test that was disposed while its bus still started would otherwise take this test's messages.</param>
    /// <param name="extra">Settings added or replaced.</param>
    /// <param name="services">Changes to the host's services (a test's bus observer).</param>
    public static async Task<MeshHost<PromotionState>> PromoterAsync(string rabbitMq, IDictionary<string, string?>? extra = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = rabbitMq,
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("promoter"),
            ["Registry:Url"] = $"http://{BackingServices.Registry}",
            ["Promoter:RetryDelaySeconds"] = "0.2",
            ["Promoter:MaxAttempts"] = "3",
            ["Notifications:RetryDelaySeconds"] = "0.2",
            ["Notifications:PollIntervalSeconds"] = "0.2",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return await ReadyAsync(new MeshHost<PromotionState>(settings, services));
    }

    /// <summary>Starts the host and waits until its bus is connected and its queues are bound. A host disposed while
    /// its bus is still starting leaves a bus behind that keeps taking (and failing) messages from the shared queues.</summary>
    public static async Task<MeshHost<T>> ReadyAsync<T>(MeshHost<T> host)
        where T : class
    {
        using var client = host.CreateClient();
        await HealthReadinessTests.WaitForReadyAsync(client, System.Net.HttpStatusCode.OK);
        return host;
    }

    public static PolicySatisfied Satisfied(ImageIdentity image, string targetRepository, string targetTag = "latest", string action = "copy") => new()
    {
        Image = image,
        PolicyId = Guid.NewGuid(),
        PolicyName = "dev-latest-no-critical",
        TargetRepository = targetRepository,
        TargetTag = targetTag,
        Action = action,
        Fingerprint = Guid.NewGuid().ToString("N"),
    };
}

[CollectionDefinition(PipelineHosts.Promoter)]
public sealed class PromoterHostsCollection;

[CollectionDefinition(PipelineHosts.Ingest)]
public sealed class IngestHostsCollection;

[CollectionDefinition(PipelineHosts.LayerScanner)]
public sealed class LayerScannerHostsCollection;
