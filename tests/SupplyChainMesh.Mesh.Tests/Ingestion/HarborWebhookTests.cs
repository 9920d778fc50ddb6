using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Mesh.Tests.IngestWebhookTests;

namespace SupplyChainMesh.Mesh.Tests.Ingestion;

/// <summary>Harbor 2.x webhooks (the "Default" payload format) on <c>/api/registry/harbor-events</c>, on the real broker
/// and database.</summary>
[Collection(Pipeline.PipelineHosts.Ingest)]
public sealed class HarborWebhookTests
{
    private const string Path = "/api/registry/harbor-events";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>What Harbor 2.x posts for a push (field names and nesting as Harbor sends them).</summary>
    private static string Payload(string type, string ns, string name, string tag, string digest, long occurAt = 1764496800) =>
        $$$"""
        {"type":"{{{type}}}","occur_at":{{{occurAt}}},"operator":"robot$ci",
         "event_data":{
           "resources":[{"digest":"{{{digest}}}","tag":"{{{tag}}}","resource_url":"harbor.example.com:8443/{{{ns}}}/{{{name}}}:{{{tag}}}"}],
           "repository":{"date_created":1764490000,"name":"{{{name}}}","namespace":"{{{ns}}}","repo_full_name":"{{{ns}}}/{{{name}}}","repo_type":"private"} } }
        """;

    [Fact]
    public async Task A_PUSH_ARTIFACT_is_published_once_with_the_registry_repository_digest_and_tag()
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var digest = RandomDigest();
        var body = Payload("PUSH_ARTIFACT", "library", "shop", "v1", digest);

        var first = await PostAsync(client, body, path: Path);
        Assert.Equal(new Receipt(1, 0, 0), await first.Content.ReadFromJsonAsync<Receipt>());
        var pushed = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Equal(new ImageIdentity("harbor.example.com:8443", "library/shop", "v1", digest), pushed.Image);
        Assert.Equal(("harbor", "robot$ci", DateTimeOffset.FromUnixTimeSeconds(1764496800)), (pushed.Source, pushed.Actor, pushed.PushedAt));

        // Harbor re-sends a webhook that failed: published once.
        var again = await PostAsync(client, body, path: Path);
        Assert.Equal(new Receipt(0, 1, 0), await again.Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));
        var tags = await client.GetFromJsonAsync<List<TagRow>>("/api/images?repository=library/shop");
        Assert.Equal(("harbor.example.com:8443", "v1", digest), (Assert.Single(tags!).Registry, tags![0].Tag, tags[0].Digest));
    }

    [Theory]
    [InlineData("PULL_ARTIFACT")]
    [InlineData("DELETE_ARTIFACT")]
    [InlineData("SCANNING_COMPLETED")]
    public async Task Other_Harbor_event_types_are_ignored_and_counted(string type)
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        using var ignored = new IgnoredEventsListener();
        var digest = RandomDigest();

        var response = await PostAsync(client, Payload(type, "library", "shop", "v1", digest), path: Path);
        Assert.Equal(new Receipt(0, 0, 1), await response.Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal(1, ignored.Count("harbor-type"));
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("{\"type\":\"PUSH_ARTIFACT\",", "not a Harbor webhook payload")]
    [InlineData("{\"occur_at\":1}", "no 'type'")]
    [InlineData("{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{\"repository\":{\"repo_full_name\":\"../etc\"},\"resources\":[]}}", "not a valid repository name")]
    [InlineData("{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{\"repository\":{\"repo_full_name\":\"library/shop\"},\"resources\":[{\"digest\":\"md5:1\",\"tag\":\"v1\",\"resource_url\":\"h:1/library/shop:v1\"}]}}", "is not a digest")]
    public async Task A_malformed_Harbor_payload_gets_400_with_problem_details_and_publishes_nothing(string body, string reason)
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);

        var response = await PostAsync(client, body, path: Path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((400, "Malformed notification"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("title").GetString()));
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await probe.CountAsync(_ => true, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_Harbor_caller_without_the_secret_gets_401_and_nothing_is_published()
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var body = Payload("PUSH_ARTIFACT", "library", "shop", "v1", RandomDigest());

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, body, secret: null, path: Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, body, secret: "wrong", path: Path)).StatusCode);
        Assert.Equal(0, await probe.CountAsync(_ => true, TimeSpan.FromSeconds(2)));
    }
}
