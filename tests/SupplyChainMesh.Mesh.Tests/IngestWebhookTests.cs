using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Mesh.Tests.Ingestion;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary>Ingest on the real broker and database: registry notifications become ImagePushed exactly once.</summary>
[Collection(Pipeline.PipelineHosts.Ingest)]
public sealed class IngestWebhookTests
{
    private const string Secret = "test-webhook-secret";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // Ready before use, and on a broker virtual host of the test's own: a host of another test that was disposed while
    // its bus still started would otherwise take this test's messages from the shared queues.
    internal static async Task<MeshHost<IngestOptions>> StartIngestAsync(string? rabbitUri = null) =>
        await Pipeline.PipelineHosts.ReadyAsync(new MeshHost<IngestOptions>(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = rabbitUri ?? await BackingServices.FreshVirtualHostAsync("ingest"),
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("ingest"),
            ["Ingest:WebhookSecret"] = Secret,
        }));

    internal static string Envelope(string eventId, string repository, string tag, string digest, string action = "push",
        string mediaType = "application/vnd.oci.image.manifest.v1+json", string timestamp = "2026-11-29T18:36:31.15403207Z") =>
        $$$"""
        {"events":[{"id":"{{{eventId}}}","timestamp":"{{{timestamp}}}","action":"{{{action}}}",
          "target":{"mediaType":"{{{mediaType}}}","size":345,"digest":"{{{digest}}}","length":345,"repository":"{{{repository}}}",
            "url":"http://127.0.0.1:5050/v2/{{{repository}}}/manifests/{{{digest}}}","tag":"{{{tag}}}"},
          "request":{"id":"r1","addr":"127.0.0.1:60298","host":"127.0.0.1:5050","method":"PUT","useragent":"skopeo/1.9.3"},
          "actor":{},"source":{"addr":"vm:5050","instanceID":"i1"}}]}
        """;

    internal static string RandomDigest() => "sha256:" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string? secret = Secret, string path = "/api/registry/events")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, path.EndsWith("/events", StringComparison.Ordinal) ? "application/vnd.docker.distribution.events.v1+json" : "application/json"),
        };
        if (secret is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_manifest_push_is_published_once_even_when_the_registry_sends_it_twice()
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var digest = RandomDigest();
        var body = Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", digest);

        var first = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var pushed = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Equal(new ImageIdentity("127.0.0.1:5050", "dev/app", "latest", digest), pushed.Image);
        Assert.Equal("distribution", pushed.Source);

        // The registry re-sends the same event, and another event reports the same (repository, digest, tag).
        var again = await PostAsync(client, body);
        var twin = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", digest));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        Assert.Equal(0, (await twin.Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));

        var tags = await client.GetFromJsonAsync<List<TagRow>>("/api/images?repository=dev/app");
        Assert.Contains(tags!, t => t.Tag == "latest" && t.Digest == digest);
    }

    [Fact]
    public async Task Blob_pushes_and_pulls_are_ignored_and_counted()
    {
        await using var ingest = await StartIngestAsync();
        using var client = ingest.CreateClient();
        using var ignored = new IgnoredEventsListener();
        var blob = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), "dev/app", "", RandomDigest(), mediaType: "application/octet-stream"));
        var pull = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", RandomDigest(), action: "pull"));
        Assert.Equal(new Receipt(0, 0, 1), await blob.Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal(new Receipt(0, 0, 1), await pull.Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal((1, 1, 0), (ignored.Count("blob"), ignored.Count("pull"), ignored.Count("unknown-media-type")));
    }

    [Theory]
    [InlineData("{not json", "not a Distribution notification envelope")]
    [InlineData("{\"foo\":1}", "no 'events' array")]
    [InlineData("{\"events\":[{\"id\":\"e1\",\"action\":\"push\",\"target\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:zz\",\"repository\":\"dev/app\",\"url\":\"http://r:5000/v2/\"}}]}", "is not a digest")]
    [InlineData("{\"events\":[{\"id\":\"e1\",\"action\":\"push\",\"target\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"repository\":\"../etc\",\"url\":\"http://r:5000/v2/\"}}]}", "not a valid repository name")]
    public async Task A_malformed_envelope_gets_400_with_problem_details_and_publishes_nothing(string body, string reason)
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("Malformed notification", problem.GetProperty("title").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A well-formed push on the same host is published, so the probe would have seen one from the malformed body.
        var digest = RandomDigest();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", digest))).StatusCode);
        await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Equal(0, await probe.CountAsync(_ => true, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task The_same_event_id_is_not_published_again_even_for_another_tag()
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var eventId = Guid.NewGuid().ToString();
        var digest = RandomDigest();

        Assert.Equal(1, (await (await PostAsync(client, Envelope(eventId, "dev/app", "latest", digest))).Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        // Only the event id says this is a re-send: (repository, digest, tag) is new.
        var again = await (await PostAsync(client, Envelope(eventId, "dev/app", "v2", digest))).Content.ReadFromJsonAsync<Receipt>();
        Assert.Equal(new Receipt(0, 1, 0), again);
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("application/vnd.oci.image.manifest.v1+json")]
    [InlineData("application/vnd.oci.image.index.v1+json")]
    [InlineData("application/vnd.docker.distribution.manifest.v2+json")]
    [InlineData("application/vnd.docker.distribution.manifest.list.v2+json")]
    public async Task Image_manifests_and_indexes_of_every_kind_are_published(string mediaType)
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var digest = RandomDigest();
        var response = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", digest, mediaType: mediaType));
        Assert.Equal(new Receipt(1, 0, 0), await response.Content.ReadFromJsonAsync<Receipt>());
        var pushed = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Equal(mediaType, pushed.MediaType);
    }

    [Theory]
    [InlineData("application/vnd.docker.distribution.manifest.v1+json")]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws")]
    [InlineData("application/vnd.cncf.helm.config.v1+json")]
    [InlineData("application/vnd.example.unknown.v7+json")]
    public async Task Unknown_manifest_media_types_are_ignored_and_counted_by_reason(string mediaType)
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        using var ignored = new IgnoredEventsListener();
        var digest = RandomDigest();

        var response = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", digest, mediaType: mediaType));
        Assert.Equal(new Receipt(0, 0, 1), await response.Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal(1, ignored.Count("unknown-media-type"));
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));
        var tags = await client.GetFromJsonAsync<List<TagRow>>("/api/images?repository=dev/app");
        Assert.DoesNotContain(tags!, t => t.Digest == digest);
    }

    [Fact]
    public async Task A_caller_without_the_secret_gets_401()
    {
        await using var ingest = await StartIngestAsync();
        using var client = ingest.CreateClient();
        var body = Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", RandomDigest());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, body, secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, body, secret: "wrong")).StatusCode);
    }

    [Fact]
    public async Task When_the_broker_is_down_the_push_gets_503_and_a_retry_after_it_returns_is_published()
    {
        var rabbit = new Uri(await BackingServices.FreshVirtualHostAsync("ingest"));
        await using var proxy = new TcpProxy(rabbit.Host, rabbit.Port);
        var viaProxy = new UriBuilder(rabbit) { Port = proxy.Port }.Uri.ToString();
        await using var probe = await BusProbe<ImagePushed>.StartAsync(rabbit.ToString());
        await using var ingest = await StartIngestAsync(viaProxy);
        using var client = ingest.CreateClient();
        await HealthReadinessTests.WaitForReadyAsync(client, HttpStatusCode.OK);

        proxy.Cut();
        var digest = RandomDigest();
        var body = Envelope(Guid.NewGuid().ToString(), "dev/app", "latest", digest);
        var refused = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        proxy.Restore();
        await HealthReadinessTests.WaitForReadyAsync(client, HttpStatusCode.OK);
        var retried = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await probe.NextAsync(m => m.Image.Digest == digest, Wait);
    }

    internal sealed record Receipt(int Accepted, int Duplicates, int Ignored, int Removed = 0);

    internal sealed record TagRow(string Registry, string Repository, string Tag, string Digest, DateTimeOffset UpdatedAt);
}
