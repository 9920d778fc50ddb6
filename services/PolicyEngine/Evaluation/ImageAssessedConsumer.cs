using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.PolicyEngine.Admission;
using SupplyChainMesh.PolicyEngine.Assessments;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>
/// Evaluates every policy on an assessed image: fetches the assessment, applies exceptions and VEX, and stores the
/// latest verdict per (policy, registry, repository, digest, tag). A verdict is published (<see cref="PolicySatisfied"/>
/// or <see cref="PolicyViolated"/>) only when its fingerprint changed, so re-evaluating an unchanged image against
/// unchanged policies publishes nothing; the inbox (<c>InboxFilter</c>) makes a redelivered message change nothing twice.
/// </summary>
public sealed class ImageAssessedConsumer(
    PolicyDbContext db,
    IAssessmentSource assessments,
    PolicyInputs inputs,
    VerdictCache verdictCache,
    TimeProvider time,
    ILogger<ImageAssessedConsumer> logger) : IConsumer<ImageAssessed>
{
    public async Task Consume(ConsumeContext<ImageAssessed> context)
    {
        var message = context.Message;
        var image = message.Image;
        var ct = context.CancellationToken;
        var fetched = await assessments.GetByReportAsync(message.ReportId, ct);
        if (fetched is null)
        {
            // FeedSync keeps only a bounded history: a report gone by now has been superseded by a newer ImageAssessed.
            logger.LogWarning("Report {ReportId} of {Image} is not available; nothing to evaluate", message.ReportId, image);
            return;
        }
        // The message names the image and the tag it was assessed under; the report is only about its content.
        var assessment = fetched with { Registry = image.Registry, Repository = image.Repository, Tag = image.Tag, ManifestDigest = image.Digest };
        var now = time.GetUtcNow();
        var (result, policies) = await inputs.EvaluateAsync(assessment, now, ct);
        var byId = policies.ToDictionary(p => p.Id);

        var tag = image.Tag ?? "";
        var stored = await db.Verdicts
            .Where(v => v.Registry == image.Registry && v.Repository == image.Repository && v.Digest == image.Digest && v.Tag == tag)
            .ToDictionaryAsync(v => v.PolicyId, ct);
        var messages = new List<object>();
        foreach (var verdict in result.Verdicts)
        {
            var fingerprint = PolicyEvaluator.FingerprintOf(result, byId[verdict.PolicyId], verdict);
            if (stored.Remove(verdict.PolicyId, out var row))
            {
                row.ReportId = message.ReportId;
                row.EvaluatedAt = now;
                if (row.Fingerprint == fingerprint) continue;
            }
            else
            {
                row = new StoredVerdict
                {
                    PolicyId = verdict.PolicyId,
                    Registry = image.Registry,
                    Repository = image.Repository,
                    Digest = image.Digest,
                    Tag = tag,
                    PolicyName = verdict.PolicyName,
                    Outcome = "",
                    Fingerprint = "",
                    Document = "",
                    ReportId = message.ReportId,
                    EvaluatedAt = now,
                };
                db.Verdicts.Add(row);
            }
            row.PolicyName = verdict.PolicyName;
            row.Outcome = verdict.Outcome == PolicyOutcome.Satisfied ? "satisfied" : "violated";
            row.Fingerprint = fingerprint;
            row.TargetRepository = verdict.Promotion?.Repository;
            row.TargetTag = verdict.Promotion?.Tag;
            row.Document = PolicyJson.Serialize(verdict);
            messages.Add(VerdictMessages.For(image, verdict, fingerprint));
        }
        // Policies that no longer apply (deleted, disabled, moved to another source) leave no verdict behind.
        db.Verdicts.RemoveRange(stored.Values);

        var summary = ImageSummary.From(ImageVerdict.From(assessment, result), image.Registry, image.Repository, image.Digest, tag, message.ReportId, now);
        var existing = await db.Images.FindAsync([image.Registry, image.Repository, image.Digest, tag], ct);
        if (existing is null) db.Images.Add(summary);
        else db.Entry(existing).CurrentValues.SetValues(summary);
        await db.SaveChangesAsync(ct);
        verdictCache.Invalidate(image.Registry, image.Repository);

        foreach (var m in messages) await context.Publish(m, m.GetType(), ct);
        logger.LogInformation("{Image}: {Verdicts} verdicts ({Satisfied} satisfied), {Published} new, {Suppressed} findings suppressed",
            image, result.Verdicts.Count, result.Satisfied.Count(), messages.Count, result.Suppressed.Count);
    }
}
