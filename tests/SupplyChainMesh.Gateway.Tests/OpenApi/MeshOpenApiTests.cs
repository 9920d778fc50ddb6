using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.PolicyEngine.Model;
using SupplyChainMesh.Promoter;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Gateway.Tests.OpenApi;

/// <summary>The real gateway in front of the five real service hosts (each on its own loopback port, with its own
/// fresh database and the identity vhost): one OpenAPI document holds a path of every service.</summary>
public sealed class MeshOpenApiTests
{
    private const int GatewayPort = 9210;

    [Fact]
    public async Task The_merged_document_holds_a_path_of_every_service_and_the_reference_page_serves_it()
    {
        var rabbit = await BackingServices.RabbitMqUriAsync();
        async Task<Dictionary<string, string?>> SettingsAsync(string name) => new()
        {
            ["RabbitMq:Uri"] = rabbit,
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("openapi-" + name),
            ["Ingest:WebhookSecret"] = "openapi-test",
        };

        await using var ingest = new ServiceHost<IngestOptions>(9211, await SettingsAsync("ingest"));
        await using var scanner = new ServiceHost<ImageScanState>(9212, await SettingsAsync("scanner"));
        await using var feeds = new ServiceHost<FeedSyncOptions>(9213, await SettingsAsync("feeds"));
        await using var policies = new ServiceHost<StoredPolicy>(9214, await SettingsAsync("policies"));
        await using var promoter = new ServiceHost<PromoterOptions>(9215, await SettingsAsync("promoter"));
        var gatewaySettings = await SettingsAsync("gateway");
        foreach (var (cluster, host) in new (string, string)[]
                 {
                     ("ingest", ingest.Address), ("layerscanner", scanner.Address), ("feedsync", feeds.Address),
                     ("policyengine", policies.Address), ("promoter", promoter.Address),
                 })
            gatewaySettings[$"ReverseProxy:Clusters:{cluster}:Destinations:d1:Address"] = host;
        await using var gateway = new GatewayHost(gatewaySettings);
        gateway.UseKestrel(GatewayPort);

        ingest.StartServer();
        scanner.StartServer();
        feeds.StartServer();
        policies.StartServer();
        promoter.StartServer();
        gateway.StartServer();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}") };
        var document = JsonNode.Parse(await http.GetStringAsync(new Uri("/openapi/mesh.json", UriKind.Relative)))!.AsObject();

        Assert.Null(document["x-scm-missing"]);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Contains("/api/images/scan", paths);          // Ingest
        Assert.Contains("/api/scans", paths);                // LayerScanner
        Assert.Contains("/api/feeds", paths);                // FeedSync
        Assert.Contains("/api/policies", paths);             // PolicyEngine
        Assert.Contains("/api/promotions", paths);           // Promoter
        Assert.Contains("/api/tokens", paths);               // the gateway itself
        Assert.Contains("/auth/token", paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/api/", StringComparison.Ordinal) && !p.StartsWith("/auth/", StringComparison.Ordinal));
        // Every reference points at a component the merged document has.
        var components = document["components"]?["schemas"]?.AsObject().Select(s => s.Key).ToHashSet() ?? [];
        foreach (var reference in References(document).Where(r => r.StartsWith("#/components/schemas/", StringComparison.Ordinal)))
            Assert.Contains(reference["#/components/schemas/".Length..], components);

        using var page = await http.GetAsync(new Uri("/scalar/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("mesh.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v ? [v.GetValue<string>()] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    private sealed class GatewayHost(Dictionary<string, string?> settings) : WebApplicationFactory<Proxy.RouteAccessMiddleware>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.UseEnvironment("Development");
        }
    }
}
