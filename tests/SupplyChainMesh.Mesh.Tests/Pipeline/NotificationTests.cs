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

    [Fact]
    public async Task A_subscriber_gets_each_kind_it_asked_for_signed_with_its_kind_and_nothing_else()
    {
        await using var receiver = new WebhookReceiver(PipelineHosts.WebhookPort);
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var host = await PipelineHosts.PromoterAsync(bus, new Dictionary<string, string?>
        {
            ["Notifications:AllowedHosts:0"] = $"127.0.0.1:{PipelineHosts.WebhookPort}",
        });
        using var client = host.CreateClient();
        await using var probe = await BusProbe<ImagePromoted>.StartAsync(bus);
        string[] kinds = ["scan.completed", "scan.failed", "scan.vulnerable", "vulnerabilities.found", "image.promoted", "promotion.failed"];
        var created = await client.PostAsJsonAsync("/api/subscriptions", new { url = receiver.Url, secret = Secret, events = kinds });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // One image per event, so each delivery says by its digest which event it carries.
        ImageIdentity NewImage() => new(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), "latest", IngestWebhookTests.RandomDigest());
        var expected = new Dictionary<string, ImageIdentity>();
        var scanned = expected["scan.completed"] = NewImage();
        await probe.Bus.Publish(new ImageScanned { ScanId = scanned.ScanId, Image = scanned, Layers = [], AnalyzerVersion = "v1", Succeeded = true });
        var failed = expected["scan.failed"] = NewImage();
        await probe.Bus.Publish(new ImageScanned { ScanId = failed.ScanId, Image = failed, Layers = [], AnalyzerVersion = "v1", Succeeded = false, FailureReason = "layer blob 404" });
        var vulnerable = expected["scan.vulnerable"] = NewImage();
        await probe.Bus.Publish(Assessed(vulnerable, "scan", new SeverityCounts(1, 2, 0, 0, 0, 0)));
        var found = expected["vulnerabilities.found"] = NewImage();
        await probe.Bus.Publish(new NewVulnerabilitiesFound { Image = found, VulnerabilityIds = ["CVE-2024-3094"], Source = "debian", FoundAt = DateTimeOffset.UtcNow });
        var promoted = expected["image.promoted"] = NewImage();
        await probe.Bus.Publish(new ImagePromoted { Image = promoted, Target = promoted with { Repository = "qa/app" }, PolicyId = Guid.NewGuid(), Action = "copy", PromotedAt = DateTimeOffset.UtcNow });
        var promotionFailed = expected["promotion.failed"] = NewImage();
        await probe.Bus.Publish(new PromotionFailed
        {
            Image = promotionFailed,
            PolicyId = Guid.NewGuid(),
            TargetRepository = "qa/app",
            TargetTag = "latest",
            Reason = "registry kept answering 503",
            Attempts = 3,
        });
        // Not news for a subscriber: a clean scan's assessment, and a feed-driven re-assessment (told as vulnerabilities.found).
        var clean = NewImage();
        await probe.Bus.Publish(Assessed(clean, "scan", new SeverityCounts(0, 0, 0, 0, 0, 0)));
        await probe.Bus.Publish(Assessed(clean, "feed-update", new SeverityCounts(0, 3, 0, 0, 0, 0)));

        var received = new Dictionary<string, WebhookReceiver.Received>();
        for (var i = 0; i < kinds.Length; i++)
        {
            var post = await receiver.NextAsync(Wait);
            var kind = post.Headers["X-SCM-Event"];
            Assert.True(received.TryAdd(kind, post), $"{kind} delivered twice");
        }
        Assert.Equal(kinds.Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));
        foreach (var (kind, post) in received)
        {
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), post.Body)), post.Headers["X-SCM-Signature"]);
            using var body = JsonDocument.Parse(post.Body);
            Assert.Equal(kind, body.RootElement.GetProperty("kind").GetString());
            Assert.Equal(post.Headers["X-SCM-Event-Id"], body.RootElement.GetProperty("id").GetString());
            Assert.Equal(expected[kind].Digest, body.RootElement.GetProperty("data").GetProperty("image").GetProperty("digest").GetString());
        }
        using (var assessed = JsonDocument.Parse(received["scan.vulnerable"].Body))
            Assert.Equal(1, assessed.RootElement.GetProperty("data").GetProperty("counts").GetProperty("critical").GetInt32());
        using (var reason = JsonDocument.Parse(received["promotion.failed"].Body))
            Assert.Equal("registry kept answering 503", reason.RootElement.GetProperty("data").GetProperty("reason").GetString());

        // Nothing else arrives: the clean image's assessments queued no delivery.
        await Assert.ThrowsAsync<TimeoutException>(() => receiver.NextAsync(TimeSpan.FromSeconds(3)));
    }

    private static ImageAssessed Assessed(ImageIdentity image, string trigger, SeverityCounts counts) => new()
    {
        Image = image,
        ReportId = Guid.NewGuid(),
        Counts = counts,
        AssessedAt = DateTimeOffset.UtcNow,
        Trigger = trigger,
    };

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
