using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Patterns;
using SupplyChainMesh.PolicyEngine.Assessments;
using SupplyChainMesh.PolicyEngine.Evaluation;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Vex;

namespace SupplyChainMesh.PolicyEngine.Reevaluation;

/// <summary>
/// Re-evaluates the stored images a <see cref="PolicyInputsChanged"/> can affect (their stored report, fetched again
/// from FeedSync; no rescan) against the inputs as they are now, and publishes <see cref="PolicySatisfied"/> /
/// <see cref="PolicyViolated"/> only where a verdict's fingerprint changed: a new exception can promote an image that
/// was blocked. One replica does it (a shared queue, behind the inbox). The inbox runs the whole re-evaluation in one
/// transaction and the messages leave through the consume context's outbox after it commits: a failure part-way
/// rolls every verdict back and publishes nothing, and the redelivery does it all again.
/// </summary>
public sealed class ReevaluationConsumer(
    PolicyDbContext db,
    PolicyInputs inputs,
    IAssessmentSource assessments,
    ImageEvaluator evaluator,
    ReferrerVexSource referrerVex,
    TimeProvider time,
    ILogger<ReevaluationConsumer> logger) : IConsumer<PolicyInputsChanged>
{
    public async Task Consume(ConsumeContext<PolicyInputsChanged> context)
    {
        var change = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        // This replica's cache may not have heard of the new VEX referrer yet (the cache notice travels on another queue).
        if (change.Kind == "vex" && change.Digest is { } attachedTo) referrerVex.Forget(attachedTo);
        var images = await AffectedImagesAsync(change, ct);
        if (images.Count == 0) return;

        var policies = await inputs.PoliciesAsync(ct);
        var exceptions = await inputs.ExceptionsAsync(now, ct);
        var vex = await inputs.VexStatementsAsync(ct);
        var reports = new Dictionary<Guid, ImageAssessment?>();
        int published = 0, missing = 0;
        foreach (var image in images)
        {
            if (!reports.TryGetValue(image.ReportId, out var assessment))
                reports[image.ReportId] = assessment = await assessments.GetByReportAsync(image.ReportId, ct);
            if (assessment is null)
            {
                missing++; // superseded: the newer report's ImageAssessed evaluates it with the current inputs
                continue;
            }
            var identity = new ImageIdentity(image.Registry, image.Repository, image.Tag.Length == 0 ? null : image.Tag, image.Digest);
            var (messages, _) = await evaluator.EvaluateAsync(identity, image.ReportId, assessment, policies, exceptions, vex, now, ct);
            db.ChangeTracker.Clear();
            foreach (var m in messages) await context.Publish(m, m.GetType(), ct);
            published += messages.Count;
        }
        logger.LogInformation("{Kind} {Id} {Change}: {Images} images re-evaluated, {Published} verdicts changed, {Missing} reports gone",
            change.Kind, change.Id, change.Change, images.Count, published, missing);
    }

    private sealed record AffectedImage(string Registry, string Repository, string Digest, string Tag, Guid ReportId);

    private async Task<List<AffectedImage>> AffectedImagesAsync(PolicyInputsChanged change, CancellationToken ct)
    {
        var query = db.Images.AsNoTracking();
        if (change.Digest is { } digest) query = query.Where(i => i.Digest == digest);
        var rows = await query.Select(i => new AffectedImage(i.Registry, i.Repository, i.Digest, i.Tag, i.ReportId)).ToListAsync(ct);
        if (change.Kind == "policy")
        {
            // Images holding a verdict of the policy (its source may have moved away) count as well as its sources.
            var judged = await db.Verdicts.AsNoTracking().Where(v => v.PolicyId == change.Id)
                .Select(v => new { v.Registry, v.Repository, v.Digest, v.Tag }).ToListAsync(ct);
            var keys = judged.Select(v => (v.Registry, v.Repository, v.Digest, v.Tag)).ToHashSet();
            return [.. rows.Where(i => keys.Contains((i.Registry, i.Repository, i.Digest, i.Tag)) || Matches(change, i))];
        }
        return [.. rows.Where(i => Matches(change, i))];
    }

    private static bool Matches(PolicyInputsChanged change, AffectedImage image) =>
        change.Repositories.Count == 0 || change.Repositories.Any(p => RepositoryPattern.Matches(p, image.Registry, image.Repository));
}
