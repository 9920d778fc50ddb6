using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>Subscribers registered through the Promoter's API receive signed events at a real local HTTP endpoint.</summary>
[Collection(PipelineHosts.Promoter)]
public sealed class NotificationTests
{
    private const string Secret = "a-subscriber-secret-of-some-length";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly string[] PromotedAndScanFailed = ["image.promoted", "scan.failed"];

    [Fact]
    public async Task A_subscriber_gets_the_event_signed_with_its_secret_and_retried_after_a_failure()
    {
        await using var receiver = new WebhookReceiver(PipelineHosts.WebhookPort);
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var host = await PipelineHosts.PromoterAsync(bus, new Dictionary<string, string?>
        {
            ["Notifications:AllowedHosts:0"] = $"127.0.0.1:{PipelineHosts.WebhookPort}",
        });
        using var client = host.CreateClient();
        await using var probe = await BusProbe<ImagePromoted>.StartAsync(bus);

        var created = await client.PostAsJsonAsync("/api/subscriptions", new { url = receiver.Url, secret = Secret, events = PromotedAndScanFailed });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var subscription = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(subscription.TryGetProperty("secret", out _));
        var id = subscription.GetProperty("id").GetGuid();

        // The first post is answered 500: the sender tries again, with the same event id.
        receiver.Answers.Enqueue(HttpStatusCode.InternalServerError);
        var image = new ImageIdentity(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), "latest", IngestWebhookTests.RandomDigest());
        await probe.Bus.Publish(new ImageScanned { ScanId = image.ScanId, Image = image, Layers = [], AnalyzerVersion = "v1", Succeeded = true });
        await probe.Bus.Publish(new ImagePromoted { Image = image, Target = image with { Repository = "qa/app" }, PolicyId = Guid.NewGuid(), Action = "copy", PromotedAt = DateTimeOffset.UtcNow });

        var first = await receiver.NextAsync(Wait);
        var second = await receiver.NextAsync(Wait);
        Assert.Equal((500, 200), (first.AnsweredWith, second.AnsweredWith));
        Assert.Equal(first.Body, second.Body);
        foreach (var post in new[] { first, second })
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), post.Body));
            Assert.Equal(expected, post.Headers["X-SCM-Signature"]);
            Assert.Equal("image.promoted", post.Headers["X-SCM-Event"]);
        }
        using var body = JsonDocument.Parse(second.Body);
        Assert.Equal(second.Headers["X-SCM-Event-Id"], body.RootElement.GetProperty("id").GetString());
        Assert.Equal(first.Headers["X-SCM-Event-Id"], second.Headers["X-SCM-Event-Id"]);
        Assert.Equal(image.Digest, body.RootElement.GetProperty("data").GetProperty("image").GetProperty("digest").GetString());

        // scan.completed was not asked for: only the promotion was delivered, after two attempts.
        var deliveries = await client.GetFromJsonAsync<List<Delivery>>($"/api/subscriptions/{id}/deliveries");
        var delivery = Assert.Single(deliveries!);
        Assert.Equal(("image.promoted", "delivered", 2, 200), (delivery.Kind, delivery.Status, delivery.Attempts, delivery.LastStatusCode));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", Secret, "image.promoted", "url")]
    [InlineData("file:///etc/passwd", Secret, "image.promoted", "url")]
    [InlineData("http://127.0.0.1:9185/hooks/", "short", "image.promoted", "secret")]
    [InlineData("http://127.0.0.1:9185/hooks/", Secret, "image.exploded", "events")]
    public async Task A_subscription_outside_the_allow_list_or_incomplete_gets_400(string url, string secret, string kind, string field)
    {
        await using var host = await PipelineHosts.PromoterAsync(await BackingServices.FreshVirtualHostAsync("promoter"), new Dictionary<string, string?>
        {
            ["Notifications:AllowedHosts:0"] = $"127.0.0.1:{PipelineHosts.WebhookPort}",
        });
        using var client = host.CreateClient();
        var response = await client.PostAsJsonAsync("/api/subscriptions", new { url, secret, events = new[] { kind } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty((await client.GetFromJsonAsync<List<JsonElement>>("/api/subscriptions"))!);
    }

    private sealed record Delivery(Guid Id, Guid EventId, string Kind, string Status, int Attempts, int? LastStatusCode, string? LastError);
}
