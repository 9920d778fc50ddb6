using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Ingest.Infrastructure;
using SupplyChainMesh.Ingest.Model;
using SupplyChainMesh.Ingest.Timeline;
using SupplyChainMesh.Persistence.Sagas;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>
/// Records accepted pushes and publishes <see cref="ImagePushed"/>, each exactly once in effect. Two dedupe keys:
/// <list type="bullet">
/// <item>The registry's event id, for good: the registry re-sends an event until it gets a 2xx, and a re-sent event is
/// never news.</item>
/// <item>(registry, repository, digest, tag), only while the image's scan is not failed: a new event for a push already
/// made starts nothing (the saga would only reuse its scan), but after a failed scan a re-push scans again, and
/// <c>force</c> (the scan API's rescan) always does. The catalogue's tag head and push time follow every new event,
/// duplicate or not, so a tag moved A→B→A points at A again.</item>
/// </list>
/// A state rather than a time window: a window would either re-scan healthy images on every re-push inside it, or
/// leave a failed scan stuck until it ends; the timeline already knows which scans failed.
/// The publish is confirmed by the broker before the transaction commits; if the broker is down the request fails (503)
/// and the registry re-sends, so no push is lost. A crash between the broker's confirm and the commit re-publishes on
/// the retry, which the scan saga absorbs.
/// </summary>
public sealed class PushRecorder(IngestDbContext db, IPublishEndpoint publisher, ILogger<PushRecorder> logger)
{
    private static readonly Meter Meter = new("SupplyChainMesh.Ingest");
    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("scm.ingest.pushes.accepted");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("scm.ingest.pushes.duplicate");

    /// <summary>Registry events not acted on, tagged with <c>reason</c> (<see cref="IgnoredReasons"/>).</summary>
    public static readonly Counter<long> Ignored = Meter.CreateCounter<long>("scm.ingest.events.ignored");

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    /// <returns>True when the push was published (new, a re-push after a failed scan, or forced); false for a duplicate.</returns>
    public Task<bool> RecordAsync(PushNotice push, CancellationToken cancellationToken) => RecordAsync(push, force: false, cancellationToken);

    /// <param name="force">Publish even when (registry, repository, digest, tag) was recorded before: a rescan.</param>
    public async Task<bool> RecordAsync(PushNotice push, bool force, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await db.ReceivedEvents.AnyAsync(e => e.EventId == push.EventId, ct)) return Duplicate(push, "event id");

            var earlier = await db.Pushes.SingleOrDefaultAsync(p => p.Registry == push.Registry && p.Repository == push.Repository
                && p.Digest == push.Digest && p.Tag == push.Tag, ct);
            var publish = earlier is null || force || await ScanFailedAsync(push, ct);

            db.ReceivedEvents.Add(new ReceivedEvent { EventId = push.EventId, ReceivedAt = DateTimeOffset.UtcNow });
            if (earlier is null)
            {
                db.Pushes.Add(new ImagePush
                {
                    Registry = push.Registry,
                    Repository = push.Repository,
                    Tag = push.Tag,
                    Digest = push.Digest,
                    MediaType = push.MediaType,
                    Source = push.Source,
                    EventId = push.EventId,
                    Actor = push.Actor,
                    PushedAt = push.PushedAt,
                });
            }
            else if (earlier.PushedAt <= push.PushedAt)
            {
                // The row is the latest push of its key; the event id names the ImagePushed that was published for it.
                earlier.PushedAt = push.PushedAt;
                if (publish) (earlier.EventId, earlier.Source, earlier.Actor) = (push.EventId, push.Source, push.Actor);
            }
            await MoveTagHeadAsync(push, ct);

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // The registry re-sent while the first delivery was still in flight: the twin wins.
                return Duplicate(push, "concurrent delivery");
            }

            if (!publish)
            {
                await transaction.CommitAsync(ct);
                return Duplicate(push, "repository, digest and tag");
            }

            // The broker must confirm within a bound: a push left hanging would keep the registry waiting, not retrying.
            using var confirm = CancellationTokenSource.CreateLinkedTokenSource(ct);
            confirm.CancelAfter(PublishTimeout);
            await publisher.Publish(new ImagePushed
            {
                Image = new ImageIdentity(push.Registry, push.Repository, push.Tag, push.Digest),
                MediaType = push.MediaType,
                PushedAt = push.PushedAt,
                Source = push.Source,
                EventId = push.EventId,
                Actor = push.Actor,
            }, confirm.Token);
            await transaction.CommitAsync(ct);
            Accepted.Add(1);
            logger.LogInformation("Push of {Repository}:{Tag}@{Digest} accepted from {Source}{Again}", push.Repository, push.Tag, push.Digest, push.Source,
                earlier is null ? "" : force ? " (forced rescan)" : " (again after a failed scan)");
            return true;
        }, cancellationToken);
    }

    /// <summary>Takes the catalogue's tag heads off a deleted manifest (<see cref="DeleteNotice.Digest"/>) or tag. A
    /// head moved after the delete happened stays: the delete is older news.</summary>
    /// <returns>How many tag heads were removed.</returns>
    public async Task<int> RemoveAsync(DeleteNotice delete, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delete);
        var heads = db.Tags.Where(t => t.Registry == delete.Registry && t.Repository == delete.Repository && t.UpdatedAt <= delete.At);
        heads = delete.Digest is { } digest ? heads.Where(t => t.Digest == digest) : heads.Where(t => t.Tag == delete.Tag);
        var removed = await heads.ExecuteDeleteAsync(ct);
        logger.LogInformation("Delete of {Repository}{Target} removed {Count} tag head(s)", delete.Repository,
            delete.Digest is { } d ? "@" + d : ":" + delete.Tag, removed);
        return removed;
    }

    private async Task<bool> ScanFailedAsync(PushNotice push, CancellationToken ct) =>
        await db.ImageStatuses.AnyAsync(s => s.Registry == push.Registry && s.Repository == push.Repository && s.Digest == push.Digest
            && s.State == ImageStates.ScanFailed, ct);

    private async Task MoveTagHeadAsync(PushNotice push, CancellationToken ct)
    {
        if (push.Tag.Length == 0) return;
        var head = await db.Tags.FindAsync([push.Registry, push.Repository, push.Tag], ct);
        if (head is null)
            db.Tags.Add(new TagHead { Registry = push.Registry, Repository = push.Repository, Tag = push.Tag, Digest = push.Digest, UpdatedAt = push.PushedAt });
        else if (head.UpdatedAt <= push.PushedAt)
            (head.Digest, head.UpdatedAt) = (push.Digest, push.PushedAt);
    }

    private bool Duplicate(PushNotice push, string key)
    {
        Duplicates.Add(1);
        logger.LogInformation("Duplicate push {Repository}:{Tag}@{Digest} (event {EventId}, same {Key}) not published again",
            push.Repository, push.Tag, push.Digest, push.EventId, key);
        return false;
    }
}
