using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Ingest.Infrastructure;

namespace SupplyChainMesh.Ingest.Timeline;

/// <summary>
/// Keeps each image's status and history from the pipeline's events. Idempotent: the inbox filter records each
/// MessageId in the same transaction; concurrent events about one image are serialised by a row lock
/// (<c>SELECT ... FOR UPDATE</c>), so none overwrites another.
/// </summary>
public sealed class ImageTimelineConsumer(IngestDbContext db, TimeProvider time) :
    IConsumer<ImagePushed>,
    IConsumer<LayerScanned>,
    IConsumer<ImageScanned>,
    IConsumer<ArtifactPushed>,
    IConsumer<ImageAssessed>,
    IConsumer<PolicySatisfied>,
    IConsumer<PolicyViolated>,
    IConsumer<ImagePromoted>,
    IConsumer<PromotionFailed>
{
    public Task Consume(ConsumeContext<ImagePushed> context) => UpdateAsync(context.Message.Image, context, "pushed",
        $"pushed as {context.Message.Image.Tag ?? "(no tag)"} ({context.Message.Source}{(context.Message.Actor is { } a ? $" by {a}" : "")})", async s =>
        {
            // A push after a failed scan starts a new scan: the failure no longer describes the image. A push made
            // before the failure and read late (its queue lagged the saga's) does not undo it: the status would say
            // "pushed" for good, and Ingest would then take a re-push for a duplicate instead of scanning again.
            if (s.State == ImageStates.ScanFailed && await FailedBeforeAsync(context.Message, context.CancellationToken))
            {
                s.State = ImageStates.Pushed;
                s.ScanFailure = null;
                s.LayersDone = 0;
            }
            ImageStates.Advance(s, ImageStates.Pushed);
        });

    private async Task<bool> FailedBeforeAsync(ImagePushed push, CancellationToken ct)
    {
        var image = push.Image;
        var failedAt = await db.ImageHistory
            .Where(h => h.Registry == image.Registry && h.Repository == image.Repository && h.Digest == image.Digest && h.Kind == "scan-failed")
            .MaxAsync(h => (DateTimeOffset?)h.At, ct);
        return failedAt is null || push.PushedAt > failedAt;
    }

    public Task Consume(ConsumeContext<LayerScanned> context) => UpdateAsync(context.Message.Image, context, "layer-scanned",
        context.Message.Succeeded
            ? $"layer {context.Message.Index} {Short(context.Message.LayerDigest)}: {context.Message.PackageCount} packages{(context.Message.FromCache ? " (cached)" : "")}"
            : $"layer {context.Message.Index} {Short(context.Message.LayerDigest)} failed: {context.Message.FailureReason}", s =>
        {
            // The scan says how many distinct layers it waits for, so "n of m" needs no call to LayerScanner; the cap
            // keeps a layer re-sent by a stalled scan from counting twice.
            if (context.Message.LayerCount > 0) s.LayersTotal = context.Message.LayerCount;
            if (context.Message.Succeeded) s.LayersDone = s.LayersTotal is { } total ? Math.Min(total, s.LayersDone + 1) : s.LayersDone + 1;
            ImageStates.Advance(s, ImageStates.Scanning);
        });

    public Task Consume(ConsumeContext<ImageScanned> context)
    {
        var m = context.Message;
        return UpdateAsync(m.Image, context, m.Succeeded ? "scanned" : "scan-failed",
            m.Succeeded ? $"all {m.Layers.Count} layers analysed ({m.AnalyzerVersion})" : $"scan failed: {m.FailureReason}", s =>
            {
                s.LayersTotal = m.Layers.Count;
                if (m.Succeeded) s.LayersDone = m.Layers.Count;
                s.ScanFailure = m.Succeeded ? null : m.FailureReason;
                ImageStates.Advance(s, m.Succeeded ? ImageStates.Scanned : ImageStates.ScanFailed);
            });
    }

    public Task Consume(ConsumeContext<ArtifactPushed> context)
    {
        var m = context.Message;
        return UpdateAsync(m.Artifact, context, "artifact",
            $"an OCI artifact ({m.ArtifactType}){(m.SubjectDigest is { } subject ? $" attached to {Short(subject)}" : "")}: not scanned",
            s => ImageStates.Advance(s, ImageStates.Artifact));
    }

    public Task Consume(ConsumeContext<ImageAssessed> context)
    {
        var m = context.Message;
        var c = m.Counts;
        return UpdateAsync(m.Image, context, "assessed",
            $"{c.Total} vulnerabilities (critical {c.Critical}, high {c.High}, medium {c.Medium}, low {c.Low}), KEV {m.KevCount}, fixable {m.FixableCount} [{m.Trigger}]", s =>
            {
                s.ReportId = m.ReportId;
                (s.Critical, s.High, s.Medium, s.Low, s.Negligible, s.Unknown) = (c.Critical, c.High, c.Medium, c.Low, c.Negligible, c.Unknown);
                (s.Kev, s.Fixable) = (m.KevCount, m.FixableCount);
                ImageStates.Advance(s, ImageStates.Assessed);
            });
    }

    public Task Consume(ConsumeContext<PolicySatisfied> context)
    {
        var m = context.Message;
        return UpdateAsync(m.Image, context, "policy-satisfied", $"policy {m.PolicyName} satisfied: {m.Action} to {m.TargetRepository}:{m.TargetTag}",
            s => SetVerdict(s, new PolicyVerdict(m.PolicyId, m.PolicyName, true, [], $"{m.TargetRepository}:{m.TargetTag}", Now)));
    }

    public Task Consume(ConsumeContext<PolicyViolated> context)
    {
        var m = context.Message;
        return UpdateAsync(m.Image, context, "policy-violated",
            $"policy {m.PolicyName} violated: {string.Join("; ", m.FailedCriteria.Select(f => $"{f.Criterion}: {f.Reason}"))}",
            s => SetVerdict(s, new PolicyVerdict(m.PolicyId, m.PolicyName, false, m.FailedCriteria, null, Now)));
    }

    public Task Consume(ConsumeContext<ImagePromoted> context)
    {
        var m = context.Message;
        var target = $"{m.Target.Registry}/{m.Target.Repository}:{m.Target.Tag}";
        return UpdateAsync(m.Image, context, "promoted", $"{(m.Action == "move" ? "moved" : "copied")} to {target}", s =>
        {
            if (!s.PromotedTo.Contains(target)) s.PromotedTo.Add(target);
            s.PromotionFailure = null;
            ImageStates.Advance(s, ImageStates.Promoted);
        });
    }

    public Task Consume(ConsumeContext<PromotionFailed> context)
    {
        var m = context.Message;
        return UpdateAsync(m.Image, context, "promotion-failed", $"promotion to {m.TargetRepository}:{m.TargetTag} failed after {m.Attempts} attempt(s): {m.Reason}", s =>
        {
            s.PromotionFailure = m.Reason;
            ImageStates.Advance(s, ImageStates.PromotionFailed);
        });
    }

    private DateTimeOffset Now => time.GetUtcNow();

    private static void SetVerdict(ImageStatus status, PolicyVerdict verdict)
    {
        var verdicts = JsonSerializer.Deserialize<List<PolicyVerdict>>(status.Verdicts, TimelineJson.Options) ?? [];
        verdicts.RemoveAll(v => v.PolicyId == verdict.PolicyId);
        verdicts.Add(verdict);
        status.Verdicts = JsonSerializer.Serialize(verdicts, TimelineJson.Options);
        ImageStates.Advance(status, verdicts.Any(v => v.Satisfied) ? ImageStates.Approved : ImageStates.Blocked);
        // An approval that replaced a block (or the reverse) at the same rank.
        if (ImageStates.Rank(status.State) == ImageStates.Rank(ImageStates.Approved))
            status.State = verdicts.Any(v => v.Satisfied) ? ImageStates.Approved : ImageStates.Blocked;
    }

    private Task UpdateAsync<T>(ImageIdentity image, ConsumeContext<T> context, string kind, string summary, Action<ImageStatus> apply)
        where T : class =>
        UpdateAsync(image, context, kind, summary, s =>
        {
            apply(s);
            return Task.CompletedTask;
        });

    private async Task UpdateAsync<T>(ImageIdentity image, ConsumeContext<T> context, string kind, string summary, Func<ImageStatus, Task> apply)
        where T : class
    {
        var ct = context.CancellationToken;
        var now = Now;
        // The row exists before it is locked, so two first events about an image do not both insert.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO ingest.image_status ("Registry", "Repository", "Digest", "State", "Tags", "LayersDone", "Verdicts", "PromotedTo", "CreatedAt", "UpdatedAt")
            VALUES ({image.Registry}, {image.Repository}, {image.Digest}, {ImageStates.Pushed}, ARRAY[]::text[], 0, '[]', ARRAY[]::text[], {now}, {now})
            ON CONFLICT DO NOTHING
            """, ct);
        var status = await db.ImageStatuses
            .FromSql($"""SELECT * FROM ingest.image_status WHERE "Registry" = {image.Registry} AND "Repository" = {image.Repository} AND "Digest" = {image.Digest} FOR UPDATE""")
            .SingleAsync(ct);
        if (!string.IsNullOrEmpty(image.Tag) && !status.Tags.Contains(image.Tag)) status.Tags.Add(image.Tag);
        await apply(status);
        status.UpdatedAt = now;
        db.ImageHistory.Add(new ImageHistoryEntry
        {
            Registry = image.Registry,
            Repository = image.Repository,
            Digest = image.Digest,
            Kind = kind,
            Summary = summary,
            At = context.SentTime is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : now,
        });
        // The inbox filter saves and commits with its own row.
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}

internal static class TimelineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
