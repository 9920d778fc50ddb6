using System.Net;
using System.Net.Http.Json;
using MassTransit;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>The image timeline in Ingest: the pipeline's events, out of order and repeated, make one status and history.</summary>
[Collection(PipelineHosts.Ingest)]
public sealed class ImageTimelineTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static async Task<Status> WaitForStateAsync(HttpClient client, ImageIdentity image, string state)
    {
        var deadline = DateTime.UtcNow + Wait;
        Status? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/api/images/status?repository={image.Repository}&digest={image.Digest}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await response.Content.ReadFromJsonAsync<Status>();
                if (last!.State == state) return last;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The status stayed {last?.State ?? "unknown"} (wanted {state}).");
    }

    [Fact]
    public async Task A_push_read_after_the_scan_failed_keeps_the_failure_unless_it_was_pushed_after_it()
    {
        var rabbitMq = await BackingServices.FreshVirtualHostAsync("timeline");
        await using var ingest = await ScanRequestTests.IngestAsync(rabbitMq);
        using var client = ingest.CreateClient();
        await using var probe = await BusProbe<ImagePromoted>.StartAsync(rabbitMq);
        var image = new ImageIdentity(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), "latest", IngestWebhookTests.RandomDigest());
        ImagePushed Pushed(DateTimeOffset at) => new() { Image = image, MediaType = "application/vnd.oci.image.manifest.v1+json", PushedAt = at, Source = "distribution", EventId = Guid.NewGuid().ToString() };

        // The saga failed the scan before the timeline read the push that started it (the timeline's queue lagged).
        await probe.Bus.Publish(new ImageScanned { ScanId = image.ScanId, Image = image, Layers = [], AnalyzerVersion = "v1", Succeeded = false, FailureReason = "manifest unknown" });
        await WaitForStateAsync(client, image, "scan-failed");
        await probe.Bus.Publish(Pushed(DateTimeOffset.UtcNow.AddMinutes(-1)));
        await WaitForHistoryAsync(client, image, "pushed");
        var late = await WaitForStateAsync(client, image, "scan-failed");
        Assert.Equal("manifest unknown", late.Scan.FailureReason);

        // A push after the failure starts a new scan: the failure is history.
        await probe.Bus.Publish(Pushed(DateTimeOffset.UtcNow.AddSeconds(5)));
        var again = await WaitForStateAsync(client, image, "pushed");
        Assert.Null(again.Scan.FailureReason);
    }

    private static async Task WaitForHistoryAsync(HttpClient client, ImageIdentity image, string kind)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var status = await client.GetFromJsonAsync<Status>($"/api/images/status?repository={image.Repository}&digest={image.Digest}");
            if (status!.History.Any(h => h.Kind == kind)) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"No '{kind}' in the history of {image.Digest}.");
    }

    [Fact]
    public async Task Events_out_of_order_and_repeated_make_one_forward_moving_status_with_history()
    {
        var rabbitMq = await BackingServices.FreshVirtualHostAsync("timeline");
        await using var ingest = await ScanRequestTests.IngestAsync(rabbitMq);
        using var client = ingest.CreateClient();
        await using var probe = await BusProbe<ImagePromoted>.StartAsync(rabbitMq);
        var bus = probe.Bus;
        var image = new ImageIdentity(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), "latest", IngestWebhookTests.RandomDigest());
        var layers = new[] { IngestWebhookTests.RandomDigest(), IngestWebhookTests.RandomDigest() };

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/images/status?repository={image.Repository}&digest={image.Digest}")).StatusCode);

        await bus.Publish(new ImagePushed { Image = image, MediaType = "application/vnd.oci.image.manifest.v1+json", PushedAt = DateTimeOffset.UtcNow, Source = "api", EventId = "e1" });
        await bus.Publish(new LayerScanned { ScanId = image.ScanId, Image = image, LayerDigest = layers[0], Index = 0, Succeeded = true, PackageCount = 88, AnalyzerVersion = "v1", LayerCount = 2 });
        var scanning = await WaitForStateAsync(client, image, "scanning");
        // "n of m" from the event itself: no LayerScanner answers in this test.
        Assert.Equal((1, 2), (scanning.Scan.LayersDone, scanning.Scan.LayersTotal));

        await bus.Publish(new ImageScanned { ScanId = image.ScanId, Image = image, Layers = layers, AnalyzerVersion = "v1", Succeeded = true });
        var reportId = Guid.NewGuid();
        var assessedId = NewId.NextGuid();
        var assessed = new ImageAssessed { Image = image, ReportId = reportId, Counts = new SeverityCounts(2, 5, 7, 1, 0, 0), KevCount = 1, FixableCount = 9, AssessedAt = DateTimeOffset.UtcNow, Trigger = "scan" };
        // The same message delivered twice (same MessageId): recorded once.
        await bus.Publish(assessed, c => c.MessageId = assessedId);
        await bus.Publish(assessed, c => c.MessageId = assessedId);
        var policy = Guid.NewGuid();
        await bus.Publish(new PolicyViolated
        {
            Image = image,
            PolicyId = policy,
            PolicyName = "no-critical",
            Fingerprint = "f1",
            FailedCriteria = [new FailedCriterion("maxCritical", "2 critical vulnerabilities, at most 0 allowed", ["CVE-2024-0001", "CVE-2024-0002"])],
        });
        var blocked = await WaitForStateAsync(client, image, "blocked");
        Assert.Equal(new Assessment(reportId, 2, 5, 7, 1, 0, 0, 1, 9), blocked.Assessment);
        Assert.Equal((2, 2), (blocked.Scan.LayersDone, blocked.Scan.LayersTotal));
        var verdict = Assert.Single(blocked.Verdicts);
        Assert.False(verdict.Satisfied);
        Assert.Equal(["CVE-2024-0001", "CVE-2024-0002"], verdict.FailedCriteria.Single().VulnerabilityIds);

        // A late event of an earlier stage does not move the state back.
        await bus.Publish(new LayerScanned { ScanId = image.ScanId, Image = image, LayerDigest = layers[1], Index = 1, Succeeded = true, PackageCount = 3, AnalyzerVersion = "v1" });
        await bus.Publish(new ImagePromoted { Image = image, Target = image with { Repository = "qa/app" }, PolicyId = policy, Action = "copy", PromotedAt = DateTimeOffset.UtcNow });
        var promoted = await WaitForStateAsync(client, image, "promoted");
        Assert.Equal([$"{image.Registry}/qa/app:latest"], promoted.PromotedTo);
        Assert.Equal(1, promoted.History.Count(h => h.Kind == "assessed"));
        Assert.Equal(["pushed", "layer-scanned", "scanned", "assessed", "policy-violated", "layer-scanned", "promoted"], promoted.History.Select(h => h.Kind).ToArray());
    }

    [Fact]
    public async Task An_OCI_artifact_is_shown_as_an_artifact_attached_to_its_image_not_as_a_scan()
    {
        var rabbitMq = await BackingServices.FreshVirtualHostAsync("timeline");
        await using var ingest = await ScanRequestTests.IngestAsync(rabbitMq);
        using var client = ingest.CreateClient();
        await using var probe = await BusProbe<ArtifactPushed>.StartAsync(rabbitMq);
        var artifact = new ImageIdentity(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), null, IngestWebhookTests.RandomDigest());
        var subject = IngestWebhookTests.RandomDigest();

        await probe.Bus.Publish(new ImagePushed { Image = artifact, MediaType = "application/vnd.oci.image.manifest.v1+json", PushedAt = DateTimeOffset.UtcNow, Source = "distribution", EventId = "a1" });
        await probe.Bus.Publish(new ArtifactPushed { Artifact = artifact, ArtifactType = "application/vnd.openvex+json", SubjectDigest = subject });
        var status = await WaitForStateAsync(client, artifact, "artifact");
        var shown = status.History.Single(h => h.Kind == "artifact").Summary;
        Assert.Contains("application/vnd.openvex+json", shown, StringComparison.Ordinal);
        Assert.Contains(subject[..19], shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_request_without_a_valid_repository_and_digest_gets_400()
    {
        await using var ingest = await ScanRequestTests.IngestAsync();
        using var client = ingest.CreateClient();
        var response = await client.GetAsync("/api/images/status?repository=../x&digest=sha256:zz");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("repository", body, StringComparison.Ordinal);
        Assert.Contains("digest", body, StringComparison.Ordinal);
    }

    private sealed record Scan(int LayersDone, int? LayersTotal, string? FailureReason);

    private sealed record Assessment(Guid ReportId, int Critical, int High, int Medium, int Low, int Negligible, int Unknown, int Kev, int Fixable);

    private sealed record Verdict(Guid PolicyId, string PolicyName, bool Satisfied, IReadOnlyList<FailedCriterion> FailedCriteria);

    private sealed record History(DateTimeOffset At, string Kind, string Summary);

    private sealed record Status(string State, IReadOnlyList<string> Tags, Scan Scan, Assessment? Assessment, IReadOnlyList<Verdict> Verdicts,
        IReadOnlyList<string> PromotedTo, IReadOnlyList<History> History);
}
