using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Vex;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Vex;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>
/// Everything an evaluation reads: the policies in evaluation order, the exceptions still active, every uploaded VEX
/// statement, and the VEX documents attached to the image itself as OCI referrers. Used by the <c>ImageAssessed</c>
/// consumer, re-evaluation and dry runs alike, so all judge the same way.
/// </summary>
public sealed class PolicyInputs(PolicyDbContext db, DocumentCache documents, ReferrerVexSource referrerVex)
{
    public async Task<IReadOnlyList<PromotionPolicy>> PoliciesAsync(CancellationToken ct)
    {
        var rows = await db.Policies.AsNoTracking()
            .OrderBy(p => p.Order).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.Version, p.Document })
            .ToListAsync(ct);
        return [.. rows.Select(r => documents.Policy(r.Id, r.Version, r.Document))];
    }

    public async Task<IReadOnlyList<VulnerabilityException>> ExceptionsAsync(DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.Exceptions.AsNoTracking().Where(e => e.ExpiresAt == null || e.ExpiresAt > now).ToListAsync(ct);
        return [.. rows.Select(r => r.ToException())];
    }

    public async Task<IReadOnlyList<VexStatement>> VexStatementsAsync(CancellationToken ct)
    {
        var rows = await db.VexDocuments.AsNoTracking().Select(v => new { v.Id, v.Document }).ToListAsync(ct);
        return [.. rows.SelectMany(r => documents.Vex(r.Id, r.Document))];
    }

    /// <summary>Evaluates <paramref name="assessment"/> against <paramref name="policies"/> (the stored ones when null).</summary>
    public async Task<(EvaluationResult Result, IReadOnlyList<PromotionPolicy> Policies)> EvaluateAsync(
        ImageAssessment assessment, DateTimeOffset now, CancellationToken ct, IReadOnlyList<PromotionPolicy>? policies = null)
    {
        policies ??= await PoliciesAsync(ct);
        var exceptions = await ExceptionsAsync(now, ct);
        var vex = await VexStatementsAsync(ct);
        return (await EvaluateAsync(assessment, policies, exceptions, vex, now, ct), policies);
    }

    /// <summary>Evaluates with inputs already loaded (re-evaluation loads them once for many images); adds the image's
    /// referrer VEX, which apply to that image only.</summary>
    public async Task<EvaluationResult> EvaluateAsync(ImageAssessment assessment, IReadOnlyList<PromotionPolicy> policies,
        IReadOnlyList<VulnerabilityException> exceptions, IReadOnlyList<VexStatement> vex, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var attached = await referrerVex.StatementsAsync(assessment.Registry, assessment.Repository, assessment.ManifestDigest, ct);
        return PolicyEvaluator.Default.Evaluate(assessment, policies, exceptions, attached.Count == 0 ? vex : [.. vex, .. attached], now);
    }
}
