using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Ingest.Infrastructure;
using SupplyChainMesh.Ingest.Model;
using SupplyChainMesh.Persistence.Sagas;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>
/// Records accepted pushes and publishes <see cref="ImagePushed"/>, each exactly once in effect: deduplicated by the
/// registry's event id and by (registry, repository, digest, tag). The publish is confirmed by the broker before the
/// transaction commits; if the broker is down the request fails (503) and the registry re-sends, so no push is lost.
/// A crash between the broker's confirm and the commit re-publishes on the retry, which the scan saga absorbs.
/// </summary>
public sealed class PushRecorder(IngestDbContext db, IPublishEndpoint publisher, ILogger<PushRecorder> logger)
{
    private static readonly Meter Meter = new("SupplyChainMesh.Ingest");
    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("scm.ingest.pushes.accepted");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("scm.ingest.pushes.duplicate");
    public static readonly Counter<long> Ignored = Meter.CreateCounter<long>("scm.ingest.events.ignored");

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    /// <returns>True when the push was new and published; false for a duplicate.</returns>
    public async Task<bool> RecordAsync(PushNotice push, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var seen = await db.ReceivedEvents.AnyAsync(e => e.EventId == push.EventId, ct)
                || await db.Pushes.AnyAsync(p => p.Registry == push.Registry && p.Repository == push.Repository
                    && p.Digest == push.Digest && p.Tag == push.Tag, ct);
            if (seen)
            {
                Duplicates.Add(1);
                logger.LogInformation("Duplicate push {Repository}:{Tag}@{Digest} (event {EventId}) ignored", push.Repository, push.Tag, push.Digest, push.EventId);
                return false;
            }

            db.ReceivedEvents.Add(new ReceivedEvent { EventId = push.EventId, ReceivedAt = DateTimeOffset.UtcNow });
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
            var head = await db.Tags.FindAsync([push.Registry, push.Repository, push.Tag], ct);
            if (head is null)
                db.Tags.Add(new TagHead { Registry = push.Registry, Repository = push.Repository, Tag = push.Tag, Digest = push.Digest, UpdatedAt = push.PushedAt });
            else if (head.UpdatedAt <= push.PushedAt)
            {
                head.Digest = push.Digest;
                head.UpdatedAt = push.PushedAt;
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // The registry re-sent while the first delivery was still in flight: the twin wins.
                Duplicates.Add(1);
                return false;
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
            logger.LogInformation("Push of {Repository}:{Tag}@{Digest} accepted from {Source}", push.Repository, push.Tag, push.Digest, push.Source);
            return true;
        }, cancellationToken);
    }
}
