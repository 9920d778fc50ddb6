using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.Policy.Vex;
using SupplyChainMesh.PolicyEngine.Admission;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Model;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>
/// Evaluates one assessed image under one tag against every policy and stores the latest verdict per (policy,
/// registry, repository, digest, tag) with the image's admission summary. Returns the <see cref="PolicySatisfied"/> /
/// <see cref="PolicyViolated"/> messages to publish: only verdicts whose fingerprint changed, so evaluating an unchanged
/// image against unchanged inputs yields none. Shared by the <c>ImageAssessed</c> consumer and re-evaluation.
/// </summary>
public sealed class ImageEvaluator(PolicyDbContext db, PolicyInputs inputs, VerdictCache verdictCache)
{
    public sealed record Outcome(IReadOnlyList<object> Messages, EvaluationResult Result);

    /// <summary>Evaluates with the stored inputs, loaded now.</summary>
    public async Task<Outcome> EvaluateAsync(ImageIdentity image, Guid reportId, ImageAssessment assessment, DateTimeOffset now, CancellationToken ct) =>
        await EvaluateAsync(image, reportId, assessment, await inputs.PoliciesAsync(ct), await inputs.ExceptionsAsync(now, ct),
            await inputs.VexStatementsAsync(ct), now, ct);

    public async Task<Outcome> EvaluateAsync(ImageIdentity image, Guid reportId, ImageAssessment assessment, IReadOnlyList<PromotionPolicy> policies,
        IReadOnlyList<VulnerabilityException> exceptions, IReadOnlyList<VexStatement> vex, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(assessment);
        // The message names the image and the tag it was assessed under; the report is only about its content.
        assessment = assessment with { Registry = image.Registry, Repository = image.Repository, Tag = image.Tag, ManifestDigest = image.Digest };
        var result = await inputs.EvaluateAsync(assessment, policies, exceptions, vex, now, ct);
        var byId = policies.ToDictionary(p => p.Id);

        var tag = image.Tag ?? "";
        var stored = await db.Verdicts
            .Where(v => v.Registry == image.Registry && v.Repository == image.Repository && v.Digest == image.Digest && v.Tag == tag)
            .ToDictionaryAsync(v => v.PolicyId, ct);
        var suppressed = JsonSerializer.SerializeToNode(result.Suppressed, PolicyJson.Options);
        var messages = new List<object>();
        foreach (var verdict in result.Verdicts)
        {
            var fingerprint = PolicyEvaluator.FingerprintOf(result, byId[verdict.PolicyId], verdict);
            var document = VerdictDocument(verdict, suppressed);
            if (stored.Remove(verdict.PolicyId, out var row))
            {
                row.ReportId = reportId;
                row.EvaluatedAt = now;
                // The suppressions shown beside the verdict may change without changing the verdict (a VEX statement
                // on a finding no criterion counts): keep them current, publish nothing.
                row.Document = document;
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
                    Document = document,
                    ReportId = reportId,
                    EvaluatedAt = now,
                };
                db.Verdicts.Add(row);
            }
            row.PolicyName = verdict.PolicyName;
            row.Outcome = verdict.Outcome == PolicyOutcome.Satisfied ? "satisfied" : "violated";
            row.Fingerprint = fingerprint;
            row.TargetRepository = verdict.Promotion?.Repository;
            row.TargetTag = verdict.Promotion?.Tag;
            messages.Add(VerdictMessages.For(image, verdict, fingerprint));
        }
        // Policies that no longer apply (deleted, disabled, moved to another source) leave no verdict behind.
        db.Verdicts.RemoveRange(stored.Values);

        var summary = ImageSummary.From(ImageVerdict.From(assessment, result), image.Registry, image.Repository, image.Digest, tag, reportId, now);
        var existing = await db.Images.FindAsync([image.Registry, image.Repository, image.Digest, tag], ct);
        if (existing is null) db.Images.Add(summary);
        else db.Entry(existing).CurrentValues.SetValues(summary);
        await db.SaveChangesAsync(ct);
        verdictCache.Invalidate(image.Registry, image.Repository);
        return new Outcome(messages, result);
    }

    // The library's PolicyVerdict, plus the image's suppressed findings with the exception or VEX justification.
    private static string VerdictDocument(PolicyVerdict verdict, JsonNode? suppressed)
    {
        var node = JsonSerializer.SerializeToNode(verdict, PolicyJson.Options)!.AsObject();
        node["suppressed"] = suppressed?.DeepClone();
        return node.ToJsonString(PolicyJson.Options);
    }
}
