using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>The promotion saga on the real broker, database and Distribution registries, with the real
/// bookworm-minbase image (one 51 MB layer) pushed by skopeo.</summary>
[Collection(PipelineHosts.Promoter)]
public sealed class PromotionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    private static async Task<ImageIdentity> PushMinbaseAsync(string registry, string repository, string tag = "latest")
    {
        await Skopeo.PushAsync("bookworm-minbase", registry, $"{repository}:{tag}");
        return new ImageIdentity(registry, repository, tag, await Skopeo.DigestAsync(registry, $"{repository}:{tag}"));
    }

    private static async Task<List<Record>> RecordsAsync(MeshHost<Promoter.Promotion.PromotionState> host, string digest)
    {
        using var client = host.CreateClient();
        return (await client.GetFromJsonAsync<List<Record>>($"/api/promotions?digest={digest}"))!;
    }

    [Fact]
    public async Task A_policy_satisfied_three_times_at_once_promotes_once_by_mount_with_the_same_digest()
    {
        var source = await PushMinbaseAsync(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"));
        var target = source.Repository.Replace("/dev/app", "/qa/app", StringComparison.Ordinal);
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var promoted = await BusProbe<ImagePromoted>.StartAsync(bus);
        await using var host = await PipelineHosts.PromoterAsync(bus);

        var satisfied = PipelineHosts.Satisfied(source, target) with { PushedBy = "developer" };
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => promoted.Bus.Publish(satisfied)));

        var message = await promoted.NextAsync(m => m.Image.Digest == source.Digest, Wait);
        Assert.Equal(new ImageIdentity(source.Registry, target, "latest", source.Digest), message.Target);
        Assert.Equal(source.Digest, await Skopeo.DigestAsync(source.Registry, $"{target}:latest"));
        Assert.Equal(0, await promoted.CountAsync(m => m.Image.Digest == source.Digest, TimeSpan.FromSeconds(5)));

        var record = Assert.Single(await RecordsAsync(host, source.Digest));
        Assert.Equal(("promoted", "copy", satisfied.PolicyId, source.Repository, target), (record.Outcome, record.Action, record.PolicyId, record.SourceRepository, record.TargetRepository));
        Assert.Equal(("promoter", "developer"), (record.Actor, record.PushedBy));
        // Same registry: the config and the layer are mounted, nothing streamed.
        Assert.Contains("mounted 2, copied 0", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_promotion_to_another_registry_streams_the_blobs_and_keeps_the_digest()
    {
        await using var second = await DistributionRegistry.StartAsync(PipelineHosts.SecondRegistryPort);
        var source = await PushMinbaseAsync(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"));
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var promoted = await BusProbe<ImagePromoted>.StartAsync(bus);
        await using var host = await PipelineHosts.PromoterAsync(bus, new Dictionary<string, string?>
        {
            ["Promoter:Registries:0:Source"] = BackingServices.Registry,
            ["Promoter:Registries:0:Target"] = second.Host,
            ["Outbound:AllowedHosts:0"] = second.Host, // the SSRF allow-list: a second registry must be listed
        });

        await promoted.Bus.Publish(PipelineHosts.Satisfied(source, "qa/app", "1.0"));

        var message = await promoted.NextAsync(m => m.Image.Digest == source.Digest, Wait);
        Assert.Equal(new ImageIdentity(second.Host, "qa/app", "1.0", source.Digest), message.Target);
        Assert.Equal(source.Digest, await Skopeo.DigestAsync(second.Host, "qa/app:1.0"));
        var record = Assert.Single(await RecordsAsync(host, source.Digest));
        Assert.Equal(second.Host, record.TargetRegistry);
        Assert.Contains("mounted 0, copied 2", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_move_copies_then_removes_the_source_tag()
    {
        var source = await PushMinbaseAsync(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), "candidate");
        var target = source.Repository.Replace("/dev/app", "/release/app", StringComparison.Ordinal);
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var promoted = await BusProbe<ImagePromoted>.StartAsync(bus);
        await using var host = await PipelineHosts.PromoterAsync(bus);

        await promoted.Bus.Publish(PipelineHosts.Satisfied(source, target, "stable", action: "move"));

        var message = await promoted.NextAsync(m => m.Image.Digest == source.Digest, Wait);
        Assert.Equal("move", message.Action);
        Assert.Equal(source.Digest, await Skopeo.DigestAsync(source.Registry, $"{target}:stable"));
        using var registry = new RegistryClient(source.Registry);
        Assert.Null(await registry.HeadManifestAsync(source.Repository, "candidate"));
        var record = Assert.Single(await RecordsAsync(host, source.Digest));
        // Distribution 2.8 refuses a delete by tag; with no other tag on the digest, the manifest is deleted by digest.
        Assert.Contains("source tag removed: deleted the manifest by digest", record.Detail, StringComparison.Ordinal);
        Assert.Null(message.SourceTagKept);
        Assert.Null(record.Reason);
    }

    [Fact]
    public async Task A_move_whose_source_tag_cannot_be_removed_is_recorded_and_announced_as_keeping_it()
    {
        var source = await PushMinbaseAsync(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), "candidate");
        await Skopeo.PushAsync("bookworm-minbase", source.Registry, $"{source.Repository}:stable");
        var target = source.Repository.Replace("/dev/app", "/release/app", StringComparison.Ordinal);
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var promoted = await BusProbe<ImagePromoted>.StartAsync(bus);
        await using var host = await PipelineHosts.PromoterAsync(bus);

        await promoted.Bus.Publish(PipelineHosts.Satisfied(source, target, "1.0", action: "move"));

        // Distribution refuses a delete by tag, and deleting by digest would take 'stable' too: the tag stays, and
        // the promotion says so instead of passing for a complete move.
        var message = await promoted.NextAsync(m => m.Image.Digest == source.Digest, Wait);
        Assert.Equal(source.Digest, await Skopeo.DigestAsync(source.Registry, $"{target}:1.0"));
        using var registry = new RegistryClient(source.Registry);
        Assert.NotNull(await registry.HeadManifestAsync(source.Repository, "candidate"));
        Assert.Contains("stable", message.SourceTagKept, StringComparison.Ordinal);
        var record = Assert.Single(await RecordsAsync(host, source.Digest));
        Assert.Equal("promoted", record.Outcome);
        Assert.StartsWith("The move kept the source tag: ", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_keeps_failing_ends_in_PromotionFailed_after_the_retries()
    {
        var source = await PushMinbaseAsync(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"));
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var failed = await BusProbe<PromotionFailed>.StartAsync(bus);
        await using var host = await PipelineHosts.PromoterAsync(bus, new Dictionary<string, string?> { ["Registry:MaxRetries"] = "0" });

        // Nothing listens on the dead port: every attempt is refused, a fault that may pass, so it is retried.
        var deadTarget = $"127.0.0.1:{PipelineHosts.DeadRegistryPort}/qa/app";
        await failed.Bus.Publish(PipelineHosts.Satisfied(source, deadTarget));

        var message = await failed.NextAsync(m => m.Image.Digest == source.Digest, Wait);
        Assert.Equal(3, message.Attempts);
        Assert.Contains("kept failing after 3 attempts", message.Reason, StringComparison.Ordinal);
        Assert.Equal("qa/app", message.TargetRepository);
        var record = Assert.Single(await RecordsAsync(host, source.Digest));
        Assert.Equal(("failed", 3), (record.Outcome, record.Attempts));
    }

    [Fact]
    public async Task A_failing_registry_is_retried_with_doubling_back_off_while_the_saga_holds_no_transaction()
    {
        var source = await PushMinbaseAsync(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"));
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var failed = await BusProbe<PromotionFailed>.StartAsync(bus);
        var clock = new RecordingTimeProvider(TimeSpan.FromSeconds(10));
        await using var host = await PipelineHosts.PromoterAsync(bus, new Dictionary<string, string?>
        {
            ["Registry:MaxRetries"] = "0",
            ["Promoter:RetryDelaySeconds"] = "0.3",
            ["Notifications:PollIntervalSeconds"] = "30", // the delivery sender's own waits stay out of the record
        }, s => s.AddSingleton<TimeProvider>(clock));

        var satisfied = PipelineHosts.Satisfied(source, $"127.0.0.1:{PipelineHosts.DeadRegistryPort}/qa/app");
        await failed.Bus.Publish(satisfied);

        // While the first back-off runs, the saga's Promoting state is committed: no transaction holds its row.
        await clock.FirstWait.WaitAsync(Wait);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Promoter.Infrastructure.PromoterDbContext>();
            var saga = await db.PromotionSagas.AsNoTracking().SingleAsync(p => p.CorrelationId == satisfied.PromotionId);
            Assert.Equal("Promoting", saga.CurrentState);
        }

        var message = await failed.NextAsync(m => m.Image.Digest == source.Digest, Wait);
        Assert.Equal(3, message.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(0.6)], clock.Waits);
    }

    [Fact]
    public async Task A_manifest_the_registry_does_not_have_fails_at_once_without_retries()
    {
        var image = new ImageIdentity(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"), "latest", IngestWebhookTests.RandomDigest());
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var failed = await BusProbe<PromotionFailed>.StartAsync(bus);
        await using var host = await PipelineHosts.PromoterAsync(bus);

        await failed.Bus.Publish(PipelineHosts.Satisfied(image, "qa/app"));

        var message = await failed.NextAsync(m => m.Image.Digest == image.Digest, Wait);
        Assert.Equal(1, message.Attempts);
        Assert.Contains("refused the promotion", message.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ImagePromoted_lost_after_the_commit_is_announced_again_under_the_same_message_id_and_promoted_once()
    {
        var source = await PushMinbaseAsync(BackingServices.Registry, PipelineHosts.UniqueRepository("dev/app"));
        var target = source.Repository.Replace("/dev/app", "/qa/app", StringComparison.Ordinal);
        var bus = await BackingServices.FreshVirtualHostAsync("promoter");
        await using var promoted = await BusProbe<ImagePromoted>.StartAsync(bus);
        var flaky = new FlakyPublishObserver<ImagePromoted>();
        await using var host = await PipelineHosts.PromoterAsync(bus, services: s => s.AddPublishObserver(_ => flaky));

        var satisfied = PipelineHosts.Satisfied(source, target);
        await promoted.Bus.Publish(satisfied);
        await promoted.NextAsync(m => m.Image.Digest == source.Digest, Wait);
        await promoted.CountAsync(_ => false, TimeSpan.FromSeconds(5));

        // The first publish never left, the second left but looked failed: the redelivered PromotionAttempted found the
        // promotion done, recorded nothing more, and announced it again under the same message id.
        Assert.Equal(2, flaky.Failures);
        var received = promoted.Received.Where(r => r.Message.Image.Digest == source.Digest).ToList();
        Assert.Equal(2, received.Count);
        var messageId = Assert.Single(received.Select(r => r.MessageId).Distinct());
        Assert.Equal(DeterministicId.For("image-promoted", $"{satisfied.PromotionId}:1"), messageId);
        var record = Assert.Single(await RecordsAsync(host, source.Digest));
        Assert.Equal("promoted", record.Outcome);
        Assert.Equal(source.Digest, await Skopeo.DigestAsync(source.Registry, $"{target}:latest"));
    }

    private sealed record Record(Guid PolicyId, string PolicyName, string SourceRegistry, string SourceRepository, string? SourceTag, string Digest,
        string TargetRegistry, string TargetRepository, string TargetTag, string Action, string Outcome, string? Reason, string? Detail,
        int Attempts, string Actor, DateTimeOffset At, string? PushedBy = null);
}
