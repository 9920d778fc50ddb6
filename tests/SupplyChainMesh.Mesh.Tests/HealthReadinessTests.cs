using System.Net;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary><c>/health/ready</c> follows the broker; <c>/health/live</c> does not.</summary>
[Collection(Pipeline.PipelineHosts.Ingest)]
public sealed class HealthReadinessTests
{
    [Fact]
    public async Task Ready_turns_unready_when_the_broker_goes_away_and_ready_when_it_returns()
    {
        var rabbit = new Uri(await BackingServices.RabbitMqUriAsync());
        await using var proxy = new TcpProxy(rabbit.Host, rabbit.Port);
        await using var host = new MeshHost<IngestOptions>(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = new UriBuilder(rabbit) { Port = proxy.Port }.Uri.ToString(),
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("health"),
            ["Ingest:WebhookSecret"] = "s",
        });
        using var client = host.CreateClient();

        await WaitForReadyAsync(client, HttpStatusCode.OK);
        proxy.Cut();
        await WaitForReadyAsync(client, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        proxy.Restore();
        await WaitForReadyAsync(client, HttpStatusCode.OK);
    }

    internal static async Task WaitForReadyAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode last = 0;
        string body = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/health/ready");
            last = response.StatusCode;
            body = await response.Content.ReadAsStringAsync();
            if (last == expected) return;
            await Task.Delay(250);
        }
        throw new TimeoutException($"/health/ready stayed {last} (wanted {expected}): {body}");
    }
}
