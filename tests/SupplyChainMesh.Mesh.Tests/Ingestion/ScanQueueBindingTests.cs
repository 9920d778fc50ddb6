using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Mesh.Tests.Scanner;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Mesh.Tests.IngestWebhookTests;

namespace SupplyChainMesh.Mesh.Tests.Ingestion;

/// <summary>A push reported before any LayerScanner ever ran in the broker waits in the scan saga's queue (Ingest
/// declares and binds it on publish) and is scanned when a LayerScanner starts; without the binding the broker would
/// confirm the publish and drop it.</summary>
[Collection(Pipeline.PipelineHosts.Ingest)]
public sealed class ScanQueueBindingTests
{
    [Fact]
    public async Task A_push_published_before_any_scanner_started_waits_in_the_saga_queue_and_is_scanned_later()
    {
        var management = Environment.GetEnvironmentVariable("SCM_RABBITMQ_MANAGEMENT");
        Assert.False(string.IsNullOrEmpty(management), "SCM_RABBITMQ_MANAGEMENT must name the broker's management API");
        var image = await ScanHosts.PushAsync("bookworm-minbase", "ingest");
        var bus = await BackingServices.FreshVirtualHostAsync("ingest");
        var vhost = new Uri(bus).AbsolutePath.Trim('/');
        using var http = ManagementClient(management!, bus);

        await using (var ingest = await StartIngestAsync(bus))
        {
            using var client = ingest.CreateClient();
            var envelope = Envelope(Guid.NewGuid().ToString(), image.Repository, image.Tag!, image.Digest)
                .Replace("127.0.0.1:5050", image.Registry, StringComparison.Ordinal);
            Assert.Equal(1, (await (await PostAsync(client, envelope)).Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        }

        // Nothing consumes the saga's queue yet: the message is there (peeked and put back).
        using var peek = await http.PostAsync($"api/queues/{vhost}/image-scan-saga/get",
            new StringContent("""{"count":10,"ackmode":"ack_requeue_true","encoding":"auto"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, peek.StatusCode);
        var messages = await peek.Content.ReadFromJsonAsync<JsonElement>();
        var payload = Assert.Single(messages.EnumerateArray()).GetProperty("payload").GetString();
        Assert.Contains(image.Digest, payload, StringComparison.Ordinal);
        Assert.Contains("urn:message:SupplyChainMesh.Contracts:ImagePushed", payload, StringComparison.Ordinal);

        // The first LayerScanner declares the same queue (no conflict) and scans the waiting push.
        await using var probe = await BusProbe<ImageScanned>.StartAsync(bus);
        await using var scanner = await ScanHosts.StartAsync(bus, await BackingServices.FreshDatabaseAsync("ingest"));
        var scanned = await probe.NextAsync(m => m.Image.Digest == image.Digest, ScanHosts.Wait);
        Assert.True(scanned.Succeeded, scanned.FailureReason);
    }

    private static HttpClient ManagementClient(string management, string amqp)
    {
        var user = new Uri(amqp).UserInfo;
        var http = new HttpClient { BaseAddress = new Uri(management.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(user))));
        return http;
    }
}
