using System.Net;
using System.Net.Http.Json;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Mesh.Tests.IngestWebhookTests;

namespace SupplyChainMesh.Mesh.Tests.Ingestion;

/// <summary>Ingest's second dedupe key, (repository, digest, tag), on the real broker and database: it keeps duplicates
/// from being published, but never keeps the catalogue stale or a failed scan from being re-run.</summary>
[Collection(Pipeline.PipelineHosts.Ingest)]
public sealed class PushDedupeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tag_moved_from_A_to_B_and_back_to_A_points_at_A_with_the_latest_push_time()
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var repository = Pipeline.PipelineHosts.UniqueRepository("dev/app");
        var (a, b) = (RandomDigest(), RandomDigest());

        var first = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), repository, "latest", a, timestamp: "2026-11-30T10:00:00Z"));
        var second = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), repository, "latest", b, timestamp: "2026-11-30T10:01:00Z"));
        var back = await PostAsync(client, Envelope(Guid.NewGuid().ToString(), repository, "latest", a, timestamp: "2026-11-30T10:02:00Z"));
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        Assert.Equal(1, (await second.Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        // A's scan is not failed: moving the tag back starts nothing new...
        Assert.Equal(new Receipt(0, 1, 0), await back.Content.ReadFromJsonAsync<Receipt>());
        await probe.NextAsync(m => m.Image.Digest == a, Wait);
        await probe.NextAsync(m => m.Image.Digest == b, Wait);
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Repository == repository, TimeSpan.FromSeconds(2)));

        // ...but the catalogue says where the tag is now, and when it was last pushed.
        var tags = await client.GetFromJsonAsync<List<TagRow>>($"/api/images?repository={repository}");
        var latest = Assert.Single(tags!);
        Assert.Equal(("latest", a), (latest.Tag, latest.Digest));
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T10:02:00Z", System.Globalization.CultureInfo.InvariantCulture), latest.UpdatedAt);
        var pushes = await client.GetFromJsonAsync<List<PushRow>>($"/api/images/pushes?repository={repository}&digest={a}");
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T10:02:00Z", System.Globalization.CultureInfo.InvariantCulture), Assert.Single(pushes!).PushedAt);
    }

    [Fact]
    public async Task After_a_failed_scan_a_re_push_is_published_again_but_a_re_sent_event_is_not()
    {
        await using var ingest = await ProbedIngest.StartAsync(bus => StartIngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var repository = Pipeline.PipelineHosts.UniqueRepository("dev/app");
        var digest = RandomDigest();

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Envelope(Guid.NewGuid().ToString(), repository, "latest", digest))).StatusCode);
        var pushed = await probe.NextAsync(m => m.Image.Digest == digest, Wait);

        // The scan saga fails the image (a layer blob that 404s, say); the timeline records it.
        // (After the timeline has the push: a push it reads after the failure would reset the failure.)
        await WaitForStateAsync(client, pushed.Image, "pushed");
        await probe.Bus.Publish(new ImageScanned { ScanId = pushed.Image.ScanId, Image = pushed.Image, Layers = [], AnalyzerVersion = "v1", Succeeded = false, FailureReason = "layer blob 404" });
        await WaitForStateAsync(client, pushed.Image, "scan-failed");

        // The registry reports the same (repository, digest, tag) again after the fix: published again, to scan again.
        var rePush = Envelope(Guid.NewGuid().ToString(), repository, "latest", digest, timestamp: DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new Receipt(1, 0, 0), await (await PostAsync(client, rePush)).Content.ReadFromJsonAsync<Receipt>());
        var again = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.NotEqual(pushed.EventId, again.EventId);
        await WaitForStateAsync(client, pushed.Image, "pushed");

        // The registry re-sending that event publishes nothing, and neither does another push while the re-scan runs.
        Assert.Equal(new Receipt(0, 1, 0), await (await PostAsync(client, rePush)).Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal(new Receipt(0, 1, 0), await (await PostAsync(client, Envelope(Guid.NewGuid().ToString(), repository, "latest", digest))).Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Delete_events_take_tags_off_the_catalogue_by_tag_and_by_digest()
    {
        await using var ingest = await StartIngestAsync();
        using var client = ingest.CreateClient();
        var repository = Pipeline.PipelineHosts.UniqueRepository("dev/app");
        var (a, b) = (RandomDigest(), RandomDigest());
        foreach (var (tag, digest) in new[] { ("latest", a), ("v1", a), ("v2", b) })
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Envelope(Guid.NewGuid().ToString(), repository, tag, digest, timestamp: "2026-11-30T10:00:00Z"))).StatusCode);

        // Distribution's tag delete names the tag only; its manifest delete names the digest only (no url, no media type).
        var byTag = await PostAsync(client, DeleteEnvelope(repository, tag: "v2", digest: null));
        Assert.Equal(new Receipt(0, 0, 0, 1), await byTag.Content.ReadFromJsonAsync<Receipt>());
        Assert.Equal(["latest", "v1"], await TagsAsync(client, repository));

        var byDigest = await PostAsync(client, DeleteEnvelope(repository, tag: null, digest: a));
        Assert.Equal(new Receipt(0, 0, 0, 2), await byDigest.Content.ReadFromJsonAsync<Receipt>());
        Assert.Empty(await TagsAsync(client, repository));

        // A delete older than the tag's latest push is old news: the tag stays.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Envelope(Guid.NewGuid().ToString(), repository, "latest", b, timestamp: "2026-11-30T12:00:00Z"))).StatusCode);
        var stale = await PostAsync(client, DeleteEnvelope(repository, tag: "latest", digest: null, timestamp: "2026-11-30T11:00:00Z"));
        Assert.Equal(0, (await stale.Content.ReadFromJsonAsync<Receipt>())!.Removed);
        Assert.Equal(["latest"], await TagsAsync(client, repository));
    }

    internal static async Task WaitForStateAsync(HttpClient client, ImageIdentity image, string state)
    {
        var deadline = DateTime.UtcNow + Wait;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/api/images/status?repository={image.Repository}&digest={image.Digest}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("state").GetString();
                if (last == state) return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The status stayed {last ?? "unknown"} (wanted {state}).");
    }

    private static async Task<string[]> TagsAsync(HttpClient client, string repository) =>
        (await client.GetFromJsonAsync<List<TagRow>>($"/api/images?repository={repository}"))!.Select(t => t.Tag).Order(StringComparer.Ordinal).ToArray();

    private static string DeleteEnvelope(string repository, string? tag, string? digest, string timestamp = "2026-11-30T10:30:00Z") =>
        $$$"""
        {"events":[{"id":"{{{Guid.NewGuid()}}}","timestamp":"{{{timestamp}}}","action":"delete",
          "target":{"repository":"{{{repository}}}"{{{(digest is null ? "" : $",\"digest\":\"{digest}\"")}}}{{{(tag is null ? "" : $",\"tag\":\"{tag}\"")}}}},
          "request":{"id":"r2","addr":"127.0.0.1:60299","host":"127.0.0.1:5050","method":"DELETE","useragent":"curl/8"},
          "actor":{},"source":{"addr":"vm:5050","instanceID":"i1"}}]}
        """;

    private sealed record PushRow(string Registry, string Repository, string Tag, string Digest, string Source, string? Actor, DateTimeOffset PushedAt);
}
