using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.Gateway.Tests.OpenApi;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Promoter;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Gateway.Tests.Outbound;

/// <summary>The SSRF guard in the real service hosts: an API input naming a host off the list gets 400 with
/// problem details; a configured URL off the list stops the service at start-up.</summary>
public sealed class OutboundRefusalTests
{
    [Theory]
    [InlineData("169.254.169.254/latest/meta-data:x")]
    [InlineData("127.0.0.1:2375/dev/app:1")]
    [InlineData("evil.example.com/dev/app:1")]
    public async Task A_scan_request_for_a_registry_off_the_list_gets_400_with_the_reason(string reference)
    {
        await using var ingest = new ServiceHost<IngestOptions>(9216, new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = await BackingServices.RabbitMqUriAsync(),
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("ssrf-ingest"),
            ["Ingest:WebhookSecret"] = "ssrf-test",
            ["Registry:Url"] = $"http://{BackingServices.Registry}",
        });
        ingest.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(ingest.Address) };
        using var response = await http.PostAsJsonAsync(new Uri("/api/images/scan", UriKind.Relative), new { reference });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("allow", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_feed_url_off_the_list_stops_FeedSync_at_start_up()
    {
        await using var feeds = new ServiceHost<FeedSyncOptions>(9217, new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = await BackingServices.RabbitMqUriAsync(),
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("ssrf-feeds"),
            ["FeedSync:Sources:metadata:Url"] = "http://169.254.169.254/latest/meta-data/osv.json",
            ["FeedSync:Sources:metadata:Format"] = "osv",
        });
        var error = Assert.ThrowsAny<OptionsValidationException>(feeds.StartServer);
        Assert.Contains("FeedSync:Sources:metadata:Url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_promotion_route_to_a_registry_off_the_list_stops_the_Promoter_at_start_up()
    {
        await using var promoter = new ServiceHost<PromoterOptions>(9218, new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = await BackingServices.RabbitMqUriAsync(),
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("ssrf-promoter"),
            ["Registry:Url"] = $"http://{BackingServices.Registry}",
            ["Promoter:Registries:0:Source"] = BackingServices.Registry,
            ["Promoter:Registries:0:Target"] = "10.0.0.9:5000",
        });
        var error = Assert.ThrowsAny<OptionsValidationException>(promoter.StartServer);
        Assert.Contains("Promoter:Registries:0:Target", error.Message, StringComparison.Ordinal);
    }
}
