using System.Net;
using System.Net.Http.Json;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Mesh.Tests.Ingestion;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>POST /api/images/scan on the real broker, database and registry: a reference becomes ImagePushed once.</summary>
[Collection(PipelineHosts.Ingest)]
public sealed class ScanRequestTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <param name="rabbitMq">The test's own broker virtual host (a new one when null): a host of another test that was
    /// disposed while its bus still started would otherwise take this test's messages from the shared queues.</param>
    internal static async Task<MeshHost<IngestOptions>> IngestAsync(string? rabbitMq = null) => await IngestAsync(rabbitMq, rabbitMq);

    /// <param name="publishVia">Where the host reaches the broker (a <see cref="TcpProxy"/> in front of <paramref name="rabbitMq"/>).</param>
    private static async Task<MeshHost<IngestOptions>> IngestAsync(string? rabbitMq, string? publishVia) =>
        await PipelineHosts.ReadyAsync(new MeshHost<IngestOptions>(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = publishVia ?? rabbitMq ?? await BackingServices.FreshVirtualHostAsync("ingest"),
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync("ingest"),
            ["Ingest:WebhookSecret"] = "pipeline-secret",
            ["Registry:Url"] = $"http://{BackingServices.Registry}",
            // Nothing listens here: the status falls back to what the events said.
            ["Services:LayerScanner"] = $"http://127.0.0.1:{PipelineHosts.DeadRegistryPort}",
        }));

    [Fact]
    public async Task A_tag_is_resolved_to_its_digest_and_published_once()
    {
        var repository = PipelineHosts.UniqueRepository("dev/app");
        await Skopeo.PushAsync("bookworm-minbase", BackingServices.Registry, $"{repository}:latest");
        var digest = await Skopeo.DigestAsync(BackingServices.Registry, $"{repository}:latest");
        await using var ingest = await ProbedIngest.StartAsync(bus => IngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);

        var first = await client.PostAsJsonAsync("/api/images/scan", new { reference = $"{BackingServices.Registry}/{repository}:latest" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var receipt = await first.Content.ReadFromJsonAsync<Receipt>();
        Assert.Equal(new Receipt(BackingServices.Registry, repository, "latest", digest, "application/vnd.oci.image.manifest.v1+json", true), receipt);
        var pushed = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Equal(("api", new ImageIdentity(BackingServices.Registry, repository, "latest", digest)), (pushed.Source, pushed.Image));

        // Without a host the mesh's registry is meant; the same (repository, digest, tag) is not published again.
        var again = await client.PostAsJsonAsync("/api/images/scan", new { reference = $"{repository}:latest" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await again.Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_forced_scan_or_one_after_a_failed_scan_publishes_the_image_again()
    {
        var repository = PipelineHosts.UniqueRepository("dev/app");
        await Skopeo.PushAsync("bookworm-minbase", BackingServices.Registry, $"{repository}:latest");
        var digest = await Skopeo.DigestAsync(BackingServices.Registry, $"{repository}:latest");
        await using var ingest = await ProbedIngest.StartAsync(bus => IngestAsync(bus));
        var (probe, client) = (ingest.Probe, ingest.Client);
        var reference = $"{BackingServices.Registry}/{repository}:latest";

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/images/scan", new { reference })).StatusCode);
        var first = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/images/scan", new { reference })).StatusCode);

        // Once the scan has failed, a plain request scans again.
        // (After the timeline has the push: a push it reads after the failure would reset the failure.)
        await Ingestion.PushDedupeTests.WaitForStateAsync(client, first.Image, "pushed");
        await probe.Bus.Publish(new ImageScanned { ScanId = first.Image.ScanId, Image = first.Image, Layers = [], AnalyzerVersion = "v1", Succeeded = false, FailureReason = "scanner timeout" });
        await Ingestion.PushDedupeTests.WaitForStateAsync(client, first.Image, "scan-failed");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/images/scan", new { reference })).StatusCode);
        var retry = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.NotEqual(first.EventId, retry.EventId);
        await Ingestion.PushDedupeTests.WaitForStateAsync(client, first.Image, "pushed");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/images/scan", new { reference })).StatusCode);

        // force bypasses the (repository, digest, tag) key: a rescan of an image whose scan did not fail.
        var forced = await client.PostAsJsonAsync("/api/images/scan", new { reference, force = true });
        Assert.Equal(HttpStatusCode.Accepted, forced.StatusCode);
        Assert.True((await forced.Content.ReadFromJsonAsync<Receipt>())!.Accepted);
        var rescan = await probe.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.NotEqual(retry.EventId, rescan.EventId);
        Assert.Equal(0, await probe.CountAsync(m => m.Image.Digest == digest, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task When_the_broker_is_down_a_scan_request_gets_503_and_the_retry_after_it_returns_is_published()
    {
        var repository = PipelineHosts.UniqueRepository("dev/app");
        await Skopeo.PushAsync("bookworm-minbase", BackingServices.Registry, $"{repository}:latest");
        var digest = await Skopeo.DigestAsync(BackingServices.Registry, $"{repository}:latest");
        var rabbit = new Uri(await BackingServices.FreshVirtualHostAsync("ingest"));
        await using var proxy = new TcpProxy(rabbit.Host, rabbit.Port);
        await using var probe = await BusProbe<ImagePushed>.StartAsync(rabbit.ToString());
        await using var ingest = await IngestAsync(rabbit.ToString(), new UriBuilder(rabbit) { Port = proxy.Port }.Uri.ToString());
        using var client = ingest.CreateClient();
        var reference = $"{BackingServices.Registry}/{repository}:latest";

        proxy.Cut();
        var refused = await client.PostAsJsonAsync("/api/images/scan", new { reference });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("retry later", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing was recorded for the refused request: the retry is a new push, not a duplicate.
        proxy.Restore();
        await HealthReadinessTests.WaitForReadyAsync(client, HttpStatusCode.OK);
        var retried = await client.PostAsJsonAsync("/api/images/scan", new { reference });
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        await probe.NextAsync(m => m.Image.Digest == digest, Wait);
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest, "'reference' is required")]
    [InlineData("127.0.0.1:5050/Dev/App:latest", HttpStatusCode.BadRequest, "not a valid")]
    [InlineData("127.0.0.1:5050/dev/app:bad tag", HttpStatusCode.BadRequest, "is not a valid tag")]
    [InlineData("pipeline-none/dev/app:latest", HttpStatusCode.NotFound, "does not exist")]
    public async Task A_bad_or_unknown_reference_gets_a_problem_and_publishes_nothing(string reference, HttpStatusCode status, string reason)
    {
        await using var ingest = await IngestAsync();
        using var client = ingest.CreateClient();
        var response = await client.PostAsJsonAsync("/api/images/scan", new { reference });
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed record Receipt(string Registry, string Repository, string? Tag, string Digest, string MediaType, bool Accepted);
}
